import request from 'supertest';
import type { Express } from 'express';
import type { ContainerStatus } from '../../rm/protocol/records.ts';
import type { NodeHeartbeatResponse, RegisterNodeManagerResponse } from '../../rm/protocol/resource-tracker.ts';
import type { StartContainerRequest, StartContainersResponse } from '../../rm/protocol/nm-container.ts';
import type { RmContext } from '../../rm/rm-context.ts';

/**
 * A NodeManager driven by the test (YARN's MockNM): registers and heartbeats through the RM's
 * HTTP routes, and records the containers the RM asks it to start.
 */
export class MockNm {
  readonly nodeId: string;
  readonly httpPort: number;
  readonly memory: number;
  readonly vCores: number;
  responseId = 0;
  readonly started: StartContainerRequest[] = [];
  readonly cleanedContainers: string[] = [];
  readonly cleanedApps: string[] = [];
  private readonly appRef: () => Express;

  /** `app` is read at each call, so the same NM keeps talking to an RM that restarted. */
  constructor(app: () => Express, nodeId: string, memory = 8192, vCores = 8) {
    this.appRef = app;
    this.nodeId = nodeId;
    this.httpPort = Number(nodeId.split(':')[1]);
    this.memory = memory;
    this.vCores = vCores;
  }

  async register(containerStatuses: object[] = [], runningApplications: string[] = []): Promise<RegisterNodeManagerResponse> {
    const res = await request(this.appRef())
      .post('/rpc/resourcetracker/registerNodeManager')
      .send({ nodeId: this.nodeId, httpPort: this.httpPort, resource: { memory: this.memory, vCores: this.vCores }, nmVersion: 'test', containerStatuses, runningApplications })
      .expect(200);
    this.responseId = 0;
    return res.body as RegisterNodeManagerResponse;
  }

  async heartbeat(containersStatuses: Partial<ContainerStatus>[] = [], healthy = true): Promise<NodeHeartbeatResponse> {
    const res = await request(this.appRef())
      .post('/rpc/resourcetracker/nodeHeartbeat')
      .send({
        nodeStatus: {
          nodeId: this.nodeId,
          responseId: this.responseId,
          containersStatuses,
          nodeHealthStatus: { isNodeHealthy: healthy, healthReport: healthy ? '' : 'disk full', lastHealthReportTime: Date.now() },
        },
      })
      .expect(200);
    const body = res.body as NodeHeartbeatResponse;
    this.responseId = body.responseId;
    this.cleanedContainers.push(...body.containersToCleanup);
    this.cleanedApps.push(...body.applicationsToCleanup);
    return body;
  }

  /** The ContainerManagement side, as the RM's AM launcher calls it. */
  startContainers(requests: StartContainerRequest[]): StartContainersResponse {
    this.started.push(...requests);
    return { servicesMetaData: {}, succeededRequests: requests.map((r) => containerIdOf(r.containerToken)), failedRequests: [] };
  }
}

export function containerIdOf(token: string): string {
  const id = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { containerId: string };
  return id.containerId;
}

/** The RM's AM launcher wired to mock NMs: a node without one is unreachable, as a stopped NM is. */
export function mockNmGateway(nms: ReadonlyMap<string, MockNm>): RmContext['nmGateway'] {
  return (nodeId) => ({
    startContainers: async ({ body }) => {
      const nm = nms.get(nodeId);
      if (!nm) throw new Error(`connect ECONNREFUSED ${nodeId}`);
      return nm.startContainers(body.startContainerRequest);
    },
  });
}
