import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../rm/common/logger.ts';
import { formatApplicationId, formatAttemptId, formatContainerId } from '../../../rm/protocol/ids.ts';
import { httpContainerManagementProtocol, type ContainerManagementProtocol, type StartContainersResponse } from '../../../rm/protocol/nm-container.ts';
import type { ContainerLaunchContext } from '../../../rm/protocol/records.ts';
import { parseNmConfig, type NmYarnConf } from '../../../nodemanager/config.ts';
import type { LaunchSpec, LaunchedProcess } from '../../../nodemanager/launcher/container-executor.ts';
import { ProcessExecutor } from '../../../nodemanager/launcher/process-executor.ts';
import { LinuxProcReader, liveGroupMembers } from '../../../nodemanager/monitor/proc-reader.ts';
import { NodeManager } from '../../../nodemanager/node-manager.ts';
import { httpResourceTracker } from '../../../rm/protocol/resource-tracker.ts';
import { FakeResourceTracker } from '../../doubles/fake-resource-tracker.ts';

/** Polls until `probe` returns something truthy; fails with `what` after the deadline. Never a fixed sleep. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The real executor, remembering every group it started so tests can prove none is left. */
export class RecordingExecutor extends ProcessExecutor {
  readonly launched: number[] = [];
  launches = 0;

  override launch(spec: LaunchSpec): LaunchedProcess {
    this.launches++;
    const p = super.launch(spec);
    if (p.pid > 0) this.launched.push(p.pid);
    return p;
  }
}

const proc = new LinuxProcReader();
export const liveMembers = (pgid: number): number[] => liveGroupMembers(proc, pgid);

export const CLUSTER_TS = 1_764_000_000_000;
export const appId = (app = 1): string => formatApplicationId({ clusterTimestamp: CLUSTER_TS, id: app });
export const attemptId = (app = 1): string => formatAttemptId({ clusterTimestamp: CLUSTER_TS, id: app, attemptId: 1 });
export const containerId = (n: number, app = 1): string =>
  formatContainerId({ clusterTimestamp: CLUSTER_TS, id: app, attemptId: 1, epoch: 0, containerId: n });

export interface NmHarness {
  readonly rm: FakeResourceTracker;
  readonly rmUrl: string;
  readonly nm: NodeManager;
  readonly executor: RecordingExecutor;
  readonly dir: string;
  readonly logs: ReturnType<typeof createMemoryLogger>;
  /** ContainerManagement client without an NMToken (what the RM uses to launch AMs). */
  readonly cm: ContainerManagementProtocol;
  /** A client that presents an NMToken for the given attempt. */
  cmAs(attempt: string): ContainerManagementProtocol;
  start(id: string, commands: string[], opts?: { memoryMb?: number; launch?: Partial<ContainerLaunchContext> }): Promise<StartContainersResponse>;
  cleanup(): Promise<void>;
}

export async function startNm(conf: Partial<Record<keyof NmYarnConf, string>> = {}, memoryMb = 4096): Promise<NmHarness> {
  const rm = new FakeResourceTracker();
  const rmUrl = await rm.start();
  const dir = mkdtempSync(join(tmpdir(), 'weft-nm-'));
  const logs = createMemoryLogger('info');
  const executor = new RecordingExecutor();
  const config = parseNmConfig({
    rmUrl,
    port: 0,
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    dir,
    memoryMb,
    conf: { 'yarn.nodemanager.container-monitor.interval-ms': '200', ...conf },
  });
  const nm = new NodeManager({ config, clock: new SystemClock(), logger: logs.logger, executor, rm: httpResourceTracker(rmUrl) });
  await nm.start();
  const client = (nmToken?: string): ContainerManagementProtocol => httpContainerManagementProtocol(nm.nodeId, nmToken ? { nmToken } : {});
  const harness: NmHarness = {
    rm,
    rmUrl,
    nm,
    executor,
    dir,
    logs,
    cm: client(),
    cmAs: (attempt) => client(rm.nmToken(attempt, nm.nodeId)),
    start: (id, commands, opts = {}) =>
      client().startContainers({
        body: {
          startContainerRequest: [
            {
              containerLaunchContext: { localResources: {}, environment: {}, applicationACLs: {}, ...opts.launch, commands },
              containerToken: rm.containerToken({ containerId: id, nodeId: nm.nodeId, memoryMb: opts.memoryMb ?? 256 }),
            },
          ],
        },
      }),
    cleanup: async () => {
      await nm.stop();
      await rm.stop();
      // Belt and braces: whatever a failed test left behind dies here, then we check nothing did.
      const left = executor.launched.filter((pid) => liveMembers(pid).length > 0);
      for (const pid of left) executor.signal(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      if (left.length > 0) throw new Error(`process groups left running after NM stop: ${left.join(', ')}`);
    },
  };
  return harness;
}
