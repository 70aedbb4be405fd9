import { afterEach, describe, expect, it } from 'vitest';
import { httpResourceTracker, type NodeHeartbeatRequest, type ResourceTracker } from '../../../rm/protocol/resource-tracker.ts';
import type { ContainerStatus } from '../../../rm/protocol/records.ts';
import { containerIdOf, MockNm } from '../../doubles/mock-nm.ts';
import { RmHarness, settle } from '../../doubles/rm-harness.ts';
import { failure } from './call-failure.ts';

/**
 * ResourceTracker's contract: the HTTP client against a listening RM and the RM's in-process
 * client register nodes, carry their heartbeats (container statuses in, actions out) and
 * unregister them alike, and refuse alike.
 */
type Transport = (h: RmHarness) => ResourceTracker;
const transports: Record<string, Transport> = {
  http: (h) => httpResourceTracker(h.rm.url),
  'in-process': (h) => h.rm.resourceTracker.inProcessClient(),
};

let h: RmHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const NODE = 'n1:45454';

async function rmWithLauncherFor(nodeId: string): Promise<{ harness: RmHarness; nm: MockNm }> {
  const harness = await new RmHarness().start();
  h = harness;
  // Only where the RM's AM launcher starts containers; the node registers through the transport under test.
  const nm = new MockNm(() => harness.rm.app, nodeId);
  harness.nms.set(nodeId, nm);
  return { harness, nm };
}

const register = (tracker: ResourceTracker, nodeId = NODE) =>
  tracker.registerNodeManager({ body: { nodeId, httpPort: 8042, resource: { memory: 8192, vCores: 8 }, nmVersion: 'contract', containerStatuses: [], runningApplications: [] } });

const heartbeat = (responseId: number, containersStatuses: ContainerStatus[] = [], healthy = true): { body: NodeHeartbeatRequest } => ({
  body: {
    nodeStatus: {
      nodeId: NODE,
      responseId,
      containersStatuses,
      nodeHealthStatus: { isNodeHealthy: healthy, healthReport: healthy ? '' : 'disk full', lastHealthReportTime: 1 },
      keepAliveApplications: [],
    },
    logAggregationReportsForApps: [],
  },
});

describe.each(Object.keys(transports))('ResourceTracker over %s', (name) => {
  const connect = transports[name]!;

  it('registers a node, schedules an AM on it, and hears of the AM container ending through a heartbeat', async () => {
    const { harness, nm } = await rmWithLauncherFor(NODE);
    const tracker = connect(harness);
    const registered = await register(tracker);
    expect(registered).toMatchObject({ nodeAction: 'NORMAL', resource: { memory: 8192, vCores: 8 } });
    expect(registered.containerTokenMasterKey.keyId).toEqual(expect.any(Number));
    expect(harness.rm.ctx.nodes.get(NODE)?.state).toBe('RUNNING');

    const appId = await harness.submit({ 'max-app-attempts': 1 });
    const amContainer = containerIdOf(nm.started.at(-1)!.containerToken);
    const first = await tracker.nodeHeartbeat(heartbeat(0, [{ containerId: amContainer, state: 'RUNNING', exitStatus: -1000, diagnostics: '' }]));
    expect(first).toMatchObject({ responseId: 1, nodeAction: 'NORMAL' });
    // A retried heartbeat gets the same answer, and changes nothing.
    expect(await tracker.nodeHeartbeat(heartbeat(0))).toEqual(first);

    await tracker.nodeHeartbeat(heartbeat(1, [{ containerId: amContainer, state: 'COMPLETE', exitStatus: 1, diagnostics: 'AM exited with 1' }]));
    await settle();
    const app = await harness.app_(appId);
    expect(app).toMatchObject({ state: 'FAILED', finalStatus: 'FAILED' });
    expect(String(app.diagnostics)).toContain('AM exited with 1');
  });

  it('marks a node UNHEALTHY from its heartbeat, and SHUTDOWN when it unregisters', async () => {
    const { harness } = await rmWithLauncherFor(NODE);
    const tracker = connect(harness);
    await register(tracker);
    await tracker.nodeHeartbeat(heartbeat(0, [], false));
    await settle();
    expect(harness.rm.ctx.nodes.get(NODE)).toMatchObject({ state: 'UNHEALTHY', healthReport: 'disk full' });
    expect(await tracker.unRegisterNodeManager({ body: { nodeId: NODE } })).toEqual({});
    await settle();
    expect(harness.rm.ctx.nodes.has(NODE)).toBe(false);
    expect(harness.rm.ctx.inactiveNodes.get(NODE)?.state).toBe('SHUTDOWN');
  });

  it('tells an unknown or stale node to resync, and refuses a bad node id and a malformed heartbeat', async () => {
    const { harness } = await rmWithLauncherFor(NODE);
    const tracker = connect(harness);
    expect(await tracker.nodeHeartbeat(heartbeat(0))).toMatchObject({ nodeAction: 'RESYNC', diagnosticsMessage: `Node not found resyncing ${NODE}` });
    await register(tracker);
    expect(await tracker.nodeHeartbeat(heartbeat(7))).toMatchObject({ nodeAction: 'RESYNC', diagnosticsMessage: expect.stringContaining('Too far behind') as unknown });

    const badId = await failure(register(tracker, 'no-port'));
    expect(badId.kind).toBe('BadRequest');
    expect(badId.message).toContain("Invalid nodeId 'no-port'");
    const malformed = await failure(tracker.nodeHeartbeat({ body: { nodeStatus: { nodeId: NODE } } as never }));
    expect(malformed.kind).toBe('BadRequest');
  });
});
