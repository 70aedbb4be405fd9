import { performance } from 'node:perf_hooks';
import { ManualClock } from '../rm/common/clock.ts';
import { createSilentLogger } from '../rm/common/logger.ts';
import { createRmConfig } from '../rm/config.ts';
import type { ApplicationMasterProtocol } from '../rm/protocol/am-rm.ts';
import { applicationIdOfContainer } from '../rm/protocol/ids.ts';
import type { StartContainersResponse } from '../rm/protocol/nm-container.ts';
import { ContainerExitStatus, type ContainerStatus, type Resource } from '../rm/protocol/records.ts';
import type { ResourceTracker } from '../rm/protocol/resource-tracker.ts';
import { AMRM_TOKEN_ALIAS, ContainerTokenIdentifier, decodeCredentials, peekToken } from '../rm/protocol/tokens.ts';
import { ResourceManager } from '../rm/resource-manager.ts';
import { InProcessRm } from '../rm/sls/in-process-rm.ts';
import { NullRmStateStore } from '../rm/store/null-rm-state-store.ts';

/**
 * The scheduler benchmark's workload (1,000 nodes, 100 apps in four queues, 20,000 containers)
 * through the whole ResourceManager, on the in-process seam the load simulator drives (no HTTP):
 * NMs register and heartbeat (new containers RUNNING, finished ones COMPLETE) through the
 * ResourceTracker, apps are submitted through ClientRMService, the RM's own AMLauncher starts each
 * AM container on the fake NM, and each AM registers and calls allocate with its asks and takes
 * what the allocate responses carry. Every pass is SchedulingService's: snapshot, the policy,
 * RMContainer creation, the state machines and their events. After each round of allocate calls
 * the oldest half of the running task containers completes, as in the policy benchmark.
 *
 * rm_allocations_per_s: containers handed out / wall time of the RM calls of the run (allocate,
 * heartbeats, submissions and registrations; not the driver's own bookkeeping between them).
 * scheduling_pass_*: the wall time of each SchedulingService pass that ran the policy (snapshot,
 * decision and applying it).
 */
export interface RmPathOptions {
  readonly nodes: number;
  readonly node: Resource;
  readonly container: Resource;
  readonly queues: readonly { readonly name: string; readonly capacity: number; readonly apps: number }[];
  readonly tasksPerApp: number;
}

export interface RmPathResult {
  readonly allocations: number;
  readonly rmMs: number;
  readonly passesMs: Float64Array;
}

interface Am {
  readonly appId: string;
  readonly rm: ApplicationMasterProtocol;
  responseId: number;
  asked: boolean;
  received: number;
}

interface Running {
  readonly nodeId: string;
  readonly containerId: string;
}

export async function simulateRmPath(o: RmPathOptions): Promise<RmPathResult> {
  const properties: Record<string, string> = {
    'yarn.scheduler.minimum-allocation-mb': String(o.container.memory),
    'yarn.scheduler.maximum-allocation-mb': String(o.node.memory),
    'yarn.scheduler.maximum-allocation-vcores': String(o.node.vCores),
    'yarn.am.liveness-monitor.expiry-interval-ms': '3600000',
    'yarn.nm.liveness-monitor.expiry-interval-ms': '3600000',
    'yarn.scheduler.capacity.root.queues': o.queues.map((q) => q.name).join(','),
  };
  for (const q of o.queues) properties[`yarn.scheduler.capacity.root.${q.name}.capacity`] = String(q.capacity);
  const config = createRmConfig({ port: 0, host: '127.0.0.1', hostname: 'localhost', dir: '/nonexistent', properties });
  const tokens = new Map<string, string>();
  let policyRan = false;
  const rm = new ResourceManager({
    config,
    clock: new ManualClock(),
    logger: createSilentLogger(),
    store: new NullRmStateStore(),
    // The fake NM side of the RM's AMLauncher: takes the AMRM token out of the AM container's credentials.
    nmGateway: () => ({
      startContainers: ({ body }) => {
        const succeededRequests: string[] = [];
        for (const req of body.startContainerRequest) {
          const id = peekToken(req.containerToken, ContainerTokenIdentifier);
          const token = decodeCredentials(req.containerLaunchContext.tokens ?? '')?.tokens[AMRM_TOKEN_ALIAS];
          const appId = id ? applicationIdOfContainer(id.containerId) : undefined;
          if (!id || !appId || !token) continue;
          tokens.set(appId, token);
          succeededRequests.push(id.containerId);
        }
        const res: StartContainersResponse = { servicesMetaData: {}, succeededRequests, failedRequests: [] };
        return Promise.resolve(res);
      },
    }),
    wrapScheduler: (scheduler) =>
      new Proxy(scheduler, {
        get: (target, prop, receiver) =>
          prop === 'schedule'
            ? (state: Parameters<typeof scheduler.schedule>[0]) => {
                policyRan = true;
                return target.schedule(state);
              }
            : (Reflect.get(target, prop, receiver) as unknown),
      }),
  });
  const passes: number[] = [];
  const scheduling = rm.scheduling;
  const pass = scheduling.run.bind(scheduling);
  scheduling.run = () => {
    policyRan = false;
    const t0 = performance.now();
    const state = pass();
    if (policyRan) passes.push(performance.now() - t0);
    return state;
  };
  await rm.startServices();
  const inProcess = new InProcessRm(rm);
  const tracker: ResourceTracker = inProcess.resourceTracker();
  let rmMs = 0;
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await call();
    } finally {
      rmMs += performance.now() - t0;
    }
  };
  const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

  const nodeIds = Array.from({ length: o.nodes }, (_, i) => `node${String(i).padStart(4, '0')}.example.com:45454`);
  const responseIds = new Map<string, number>();
  for (const nodeId of nodeIds) {
    const body = { nodeId, httpPort: 8042, resource: o.node, nmVersion: 'bench', containerStatuses: [], runningApplications: [] };
    await timed(() => tracker.registerNodeManager({ body }));
    responseIds.set(nodeId, 0);
  }
  const heartbeat = async (nodeId: string, statuses: ContainerStatus[]): Promise<void> => {
    const body = {
      nodeStatus: {
        nodeId,
        responseId: responseIds.get(nodeId) ?? 0,
        containersStatuses: statuses,
        nodeHealthStatus: { isNodeHealthy: true, healthReport: '', lastHealthReportTime: 0 },
        keepAliveApplications: [],
      },
      logAggregationReportsForApps: [],
    };
    const res = await timed(() => tracker.nodeHeartbeat({ body }));
    responseIds.set(nodeId, res.responseId);
  };

  // Each AM registers once the RM's launcher has started its container.
  const ams: Am[] = [];
  let n = 0;
  for (const q of o.queues) {
    for (let i = 0; i < q.apps; i++) {
      const user = `user${i % 2}`;
      const appId = await timed(() =>
        inProcess.submit(user, {
          'application-name': `bench-${n++}`,
          'application-type': 'YARN',
          queue: q.name,
          priority: 0,
          resource: o.container,
          'am-container-spec': { commands: { command: 'bench-am' } },
          'unmanaged-AM': false,
          'max-app-attempts': 1,
          'keep-containers-across-application-attempts': false,
          'attempt-failures-validity-interval': -1,
          'cancel-tokens-when-complete': true,
        }),
      );
      while (!tokens.has(appId)) await settle();
      const amRm = inProcess.amRm(tokens.get(appId) as string);
      await timed(() => amRm.registerApplicationMaster({ body: { host: 'localhost', rpcPort: 1, trackingUrl: '' } }));
      ams.push({ appId, rm: amRm, responseId: 0, asked: false, received: 0 });
    }
  }
  let allocations = ams.length;
  const total = ams.length * (o.tasksPerApp + 1);
  let running: Running[] = [];
  const started: Running[] = [];
  let idleRounds = 0;
  while (allocations < total && idleRounds < 3) {
    let got = 0;
    for (const am of ams) {
      if (am.received >= o.tasksPerApp) continue;
      const ask = am.asked
        ? []
        : [{ priority: 1, allocationRequestId: 0, resourceName: '*', capability: o.container, numContainers: o.tasksPerApp, relaxLocality: true, executionType: 'GUARANTEED' as const }];
      am.asked = true;
      const res = await timed(() => am.rm.allocate({ body: { ask, release: [], responseId: am.responseId, progress: 0 } }));
      am.responseId = res.responseId;
      am.received += res.allocatedContainers.length;
      got += res.allocatedContainers.length;
      for (const c of res.allocatedContainers) started.push({ nodeId: c.nodeId, containerId: c.id });
    }
    allocations += got;
    // The new containers start, and the oldest half of the running ones finish, reported by their NMs.
    const done = running.slice(0, Math.ceil(running.length / 2));
    running = [...running.slice(done.length), ...started];
    const byNode = new Map<string, ContainerStatus[]>();
    const add = (nodeId: string, s: ContainerStatus): void => {
      const list = byNode.get(nodeId);
      if (list) list.push(s);
      else byNode.set(nodeId, [s]);
    };
    for (const c of started) add(c.nodeId, { containerId: c.containerId, state: 'RUNNING', exitStatus: ContainerExitStatus.INVALID, diagnostics: '' });
    for (const c of done) add(c.nodeId, { containerId: c.containerId, state: 'COMPLETE', exitStatus: ContainerExitStatus.SUCCESS, diagnostics: '' });
    started.length = 0;
    for (const [nodeId, statuses] of byNode) await heartbeat(nodeId, statuses);
    idleRounds = got === 0 && done.length === 0 ? idleRounds + 1 : 0;
  }
  await rm.stopServices();
  if (allocations < total) throw new Error(`only ${allocations} of ${total} containers were allocated`);
  return { allocations, rmMs, passesMs: Float64Array.from(passes) };
}
