import type { AllocateResponse } from '../../../rm/protocol/am-rm.ts';
import type { MockAm } from '../../doubles/mock-am.ts';
import type { MockNm } from '../../doubles/mock-nm.ts';
import type { UiRm } from '../../integration/webui/ui-rm.ts';

/** Polls `fn` until it returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(fn: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface RunningApp {
  readonly appId: string;
  readonly am: MockAm;
  readonly nm: MockNm;
  readonly amContainerId: string;
  readonly containers: AllocateResponse['allocatedContainers'];
}

/**
 * Drives an app to RUNNING the way a real cluster would, over the RM's protocols: submit, the
 * RM launches the AM on a mock NM, the NM reports it running, the AM registers and asks for
 * `workers` containers, and the NMs report those running.
 */
export async function runApp(ui: UiRm, name: string, workers: number, memory = 1024): Promise<RunningApp> {
  const appId = await ui.submit(name);
  // The scheduler places the AM on a node heartbeat (NODE_UPDATE), as YARN's does.
  const { nm, launch } = await eventually(async () => {
    const found = ui.amLaunch(appId);
    if (!found) for (const n of ui.nms.values()) await n.heartbeat();
    return found ?? ui.amLaunch(appId);
  });
  const amContainerId = ui.rm.ctx.apps.get(appId)?.currentAttempt?.masterContainer?.id ?? '';
  await nm.heartbeat([{ containerId: amContainerId, state: 'RUNNING', exitStatus: -1000, diagnostics: '' }]);
  const am = ui.mockAm(launch);
  await am.register(`http://127.0.0.1:1/${name}`);
  let containers: AllocateResponse['allocatedContainers'] = [];
  if (workers > 0) {
    const ask = { priority: 1, resourceName: '*', capability: { memory, vCores: 1 }, numContainers: workers };
    containers = (await am.allocate([ask])).allocatedContainers;
    for (let i = 0; i < 5 && containers.length < workers; i++) {
      for (const n of ui.nms.values()) await n.heartbeat();
      containers = [...containers, ...(await am.allocate([{ ...ask, numContainers: workers - containers.length }])).allocatedContainers];
    }
    await reportRunning(ui, containers.map((c) => [c.nodeId, c.id]));
  }
  return { appId, am, nm, amContainerId, containers };
}

/** Each NM reports the listed containers RUNNING. */
export async function reportRunning(ui: UiRm, containers: [nodeId: string, containerId: string][]): Promise<void> {
  for (const [nodeId, ids] of groupByNode(containers)) {
    await ui.nms.get(nodeId)?.heartbeat(ids.map((containerId) => ({ containerId, state: 'RUNNING' as const, exitStatus: -1000, diagnostics: '' })));
  }
}

/** The NM reports a container finished with `exitStatus`. */
export async function reportDone(ui: UiRm, nodeId: string, containerId: string, exitStatus: number, diagnostics = ''): Promise<void> {
  await ui.nms.get(nodeId)?.heartbeat([{ containerId, state: 'COMPLETE', exitStatus, diagnostics }]);
}

function groupByNode(list: [string, string][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [node, id] of list) out.set(node, [...(out.get(node) ?? []), id]);
  return out;
}
