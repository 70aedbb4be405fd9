import { afterEach, describe, expect, it } from 'vitest';
import { httpContainerManagementProtocol, type ContainerManagementProtocol } from '../../../rm/protocol/nm-container.ts';
import { ContainerExitStatus } from '../../../rm/protocol/records.ts';
import { failure } from './call-failure.ts';
import { attemptId, containerId, startNm, waitFor, type NmHarness } from '../nodemanager/nm-fixture.ts';

/**
 * ContainerManagementProtocol's contract: the HTTP client against a listening NM and the NM's
 * in-process client start, report and stop real containers alike, and refuse alike.
 */
type Transport = (h: NmHarness, nmToken?: string) => ContainerManagementProtocol;
const transports: Record<string, Transport> = {
  http: (h, nmToken) => httpContainerManagementProtocol(h.nm.nodeId, nmToken !== undefined ? { nmToken } : {}),
  'in-process': (h, nmToken) => h.nm.containerManagement.inProcessClient(nmToken),
};

let h: NmHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const launch = (commands: string[]) => ({ commands, localResources: {}, environment: {}, applicationACLs: {} });

describe.each(Object.keys(transports))('ContainerManagementProtocol over %s', (name) => {
  const connect = transports[name]!;

  it('starts a container, reports it RUNNING, stops it and reports it killed by the AM', async () => {
    const harness = await startNm();
    h = harness;
    const id = containerId(2);
    const launcher = connect(harness);
    const started = await launcher.startContainers({
      body: { startContainerRequest: [{ containerLaunchContext: launch(['sleep 60']), containerToken: harness.rm.containerToken({ containerId: id, nodeId: harness.nm.nodeId }) }] },
    });
    expect(started).toMatchObject({ succeededRequests: [id], failedRequests: [] });

    const am = connect(harness, harness.rm.nmToken(attemptId(), harness.nm.nodeId));
    const running = await waitFor('RUNNING status', async () => {
      const res = await am.getContainerStatuses({ body: { containerIds: [id] } });
      return res.containerStatuses[0]?.state === 'RUNNING' ? res : undefined;
    });
    expect(running.failedRequests).toEqual([]);
    expect(running.containerStatuses[0]).toMatchObject({ containerId: id, state: 'RUNNING' });

    const stopped = await am.stopContainers({ body: { containerIds: [id] } });
    expect(stopped).toEqual({ succeededRequests: [id], failedRequests: [] });
    const done = await waitFor('COMPLETE status', async () => {
      const s = (await am.getContainerStatuses({ body: { containerIds: [id] } })).containerStatuses[0];
      return s?.state === 'COMPLETE' ? s : undefined;
    });
    expect(done.exitStatus).toBe(ContainerExitStatus.KILLED_BY_APPMASTER);
  });

  it('refuses a forged container token per request, and stop or status without a valid NMToken', async () => {
    const harness = await startNm();
    h = harness;
    const nodeId = harness.nm.nodeId;
    const id = containerId(3);
    const forged = await connect(harness).startContainers({
      body: { startContainerRequest: [{ containerLaunchContext: launch(['true']), containerToken: harness.rm.containerToken({ containerId: id, nodeId }, Buffer.alloc(32, 1)) }] },
    });
    expect(forged.succeededRequests).toEqual([]);
    expect(forged.failedRequests[0]).toMatchObject({ containerId: id, exception: { className: 'org.apache.hadoop.security.token.SecretManager$InvalidToken' } });
    expect(harness.executor.launches).toBe(0);

    const anonymous = await failure(connect(harness).stopContainers({ body: { containerIds: [id] } }));
    expect(anonymous.kind).toBe('InvalidToken');
    expect(anonymous.message).toContain('This call needs an NMToken');
    const foreignKey = await failure(connect(harness, harness.rm.nmToken(attemptId(), nodeId, Buffer.alloc(32, 2))).getContainerStatuses({ body: { containerIds: [id] } }));
    expect(foreignKey.kind).toBe('InvalidToken');
    expect(foreignKey.message).toContain('Invalid NMToken');

    const otherApp = connect(harness, harness.rm.nmToken(attemptId(2), nodeId));
    const denied = await otherApp.getContainerStatuses({ body: { containerIds: [id] } });
    expect(denied.containerStatuses).toEqual([]);
    expect(denied.failedRequests[0]!.exception.message).toContain('Unauthorized request to access container');
    const unknown = await connect(harness, harness.rm.nmToken(attemptId(), nodeId)).stopContainers({ body: { containerIds: [id] } });
    expect(unknown.failedRequests[0]!.exception.message).toContain('is not handled by this NodeManager');

    const bad = await failure(connect(harness).startContainers({ body: { startContainerRequest: 'none' } as never }));
    expect(bad.kind).toBe('BadRequest');
  });
});
