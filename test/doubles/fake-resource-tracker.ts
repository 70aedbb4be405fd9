import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { errorHandler, jsonBody, registerRoutes } from '../../rm/common/http-server.ts';
import { createSilentLogger } from '../../rm/common/logger.ts';
import type { ContainerStatus } from '../../rm/protocol/records.ts';
import {
  resourceTrackerRoutes,
  type NodeHeartbeatRequest,
  type NodeHeartbeatResponse,
  type RegisterNodeManagerRequest,
  type RegisterNodeManagerResponse,
} from '../../rm/protocol/resource-tracker.ts';
import { signToken, type ContainerTokenIdentifier, type NMTokenIdentifier } from '../../rm/protocol/tokens.ts';

/** What a test may put into the next heartbeat response (everything else is a NORMAL answer). */
export type ScriptedHeartbeat = Partial<Omit<NodeHeartbeatResponse, 'responseId'>>;

export interface ContainerTokenSpec {
  containerId: string;
  nodeId: string;
  user?: string;
  memoryMb?: number;
  vCores?: number;
  expiryTimeStamp?: number;
}

/**
 * A ResourceTracker for NodeManager tests (after YARN's MockRM as seen by MockNM): serves the real
 * route table over HTTP, records every call, answers heartbeats with scripted actions, and signs
 * container and NM tokens with keys the test knows.
 */
export class FakeResourceTracker {
  readonly containerKey = { keyId: 7, bytes: randomBytes(32) };
  readonly nmKey = { keyId: 8, bytes: randomBytes(32) };
  readonly rmIdentifier = Date.now();
  heartbeatIntervalMs = 50;
  /** What registration answers; SHUTDOWN makes the NM refuse to run. */
  registerAction: 'NORMAL' | 'SHUTDOWN' = 'NORMAL';
  readonly registrations: RegisterNodeManagerRequest[] = [];
  readonly heartbeats: NodeHeartbeatRequest[] = [];
  readonly unregistrations: string[] = [];
  private readonly script: ScriptedHeartbeat[] = [];
  private responseId = 0;
  private server: Server | undefined;
  readonly app: Express;

  constructor() {
    this.app = express();
    this.app.use(jsonBody());
    const router = express.Router();
    registerRoutes(
      router,
      resourceTrackerRoutes,
      {
        registerNodeManager: ({ body }) => this.registerNodeManager(body),
        nodeHeartbeat: ({ body }) => this.nodeHeartbeat(body),
        unRegisterNodeManager: ({ body }) => {
          this.unregistrations.push(body.nodeId);
          return {};
        },
      },
      () => undefined,
    );
    this.app.use(router);
    this.app.use(errorHandler(createSilentLogger()));
  }

  async start(): Promise<string> {
    const server = createServer(this.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Queues the answer to a coming heartbeat (first queued, first used). */
  nextHeartbeat(response: ScriptedHeartbeat): void {
    this.script.push(response);
  }

  registerNodeManager(body: RegisterNodeManagerRequest): RegisterNodeManagerResponse {
    this.registrations.push(body);
    this.responseId = 0;
    return {
      containerTokenMasterKey: { keyId: this.containerKey.keyId, bytes: this.containerKey.bytes.toString('base64') },
      nmTokenMasterKey: { keyId: this.nmKey.keyId, bytes: this.nmKey.bytes.toString('base64') },
      nodeAction: this.registerAction,
      rmIdentifier: this.rmIdentifier,
      diagnosticsMessage: this.registerAction === 'SHUTDOWN' ? 'Disallowed NodeManager' : '',
      rmVersion: 'fake',
      resource: body.resource,
      nextHeartBeatInterval: this.heartbeatIntervalMs,
    };
  }

  nodeHeartbeat(body: NodeHeartbeatRequest): NodeHeartbeatResponse {
    this.heartbeats.push(body);
    const scripted = this.script.shift() ?? {};
    this.responseId = scripted.nodeAction === 'RESYNC' ? 0 : this.responseId + 1;
    return {
      responseId: this.responseId,
      nodeAction: 'NORMAL',
      containersToCleanup: [],
      applicationsToCleanup: [],
      containersToBeRemovedFromNm: [],
      nextHeartBeatInterval: this.heartbeatIntervalMs,
      diagnosticsMessage: '',
      ...scripted,
    };
  }

  /** The newest status the NM reported for a container, from the heartbeats seen so far. */
  lastStatus(containerId: string): ContainerStatus | undefined {
    for (let i = this.heartbeats.length - 1; i >= 0; i--) {
      const s = this.heartbeats[i]!.nodeStatus.containersStatuses.find((c) => c.containerId === containerId);
      if (s) return s;
    }
    return undefined;
  }

  containerToken(spec: ContainerTokenSpec, key: Buffer = this.containerKey.bytes): string {
    const id: ContainerTokenIdentifier = {
      containerId: spec.containerId,
      nodeId: spec.nodeId,
      appSubmitter: spec.user ?? 'alice',
      resource: { memory: spec.memoryMb ?? 256, vCores: spec.vCores ?? 1 },
      expiryTimeStamp: spec.expiryTimeStamp ?? Date.now() + 600_000,
      masterKeyId: this.containerKey.keyId,
      rmIdentifier: this.rmIdentifier,
      priority: 0,
      creationTime: Date.now(),
    };
    return signToken(id, key);
  }

  nmToken(applicationAttemptId: string, nodeId: string, key: Buffer = this.nmKey.bytes): string {
    const id: NMTokenIdentifier = { applicationAttemptId, nodeId, appSubmitter: 'alice', keyId: this.nmKey.keyId };
    return signToken(id, key);
  }
}
