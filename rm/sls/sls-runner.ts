import { applicationIdOfAttempt, applicationIdOfContainer } from '../protocol/ids.ts';
import { isFinalApplicationState, type Resource } from '../protocol/records.ts';
import { createRmConfig, type RmConfig } from '../config.ts';
import type { Logger } from '../common/logger.ts';
import { ResourceManager } from '../resource-manager.ts';
import type { RmChange } from '../rm-changes.ts';
import { NullRmStateStore } from '../store/null-rm-state-store.ts';
import type { AmLaunch, AmSimulator } from './am-simulator.ts';
import { ClusterTracker } from './cluster-tracker.ts';
import { FlinkClusterSimulator } from './flink-cluster-simulator.ts';
import { InProcessRm } from './in-process-rm.ts';
import { newJobRecord, type JobRecord } from './job-record.ts';
import { MrAmSimulator } from './mr-am-simulator.ts';
import { NmSimulator } from './nm-simulator.ts';
import { OperationTimes, timedScheduler, type Operation } from './scheduler-metrics.ts';
import type { SimEnv } from './sim-env.ts';
import { simNmGateway } from './sim-nm-gateway.ts';
import type { SlsConfig } from './sls-config.ts';
import type { JobSpec, NodeSpec } from './sls-job.ts';
import { trackRecord, type TrackRecord } from './track-record.ts';
import { StreamAmSimulator } from './stream-am-simulator.ts';
import { PRIORITY_SAMPLE, VirtualClock } from './virtual-clock.ts';

/**
 * Where virtual time starts. Fixed, so that the same trace gives the same application ids and
 * times on every run (the RM's cluster timestamp is its clock at start).
 */
export const SIM_EPOCH = Date.UTC(2026, 0, 1);

/** A loaded simulation: the workload, the nodes and both configurations. */
export interface SlsPlan {
  readonly jobs: readonly JobSpec[];
  readonly nodes: readonly NodeSpec[];
  readonly sls: SlsConfig;
  readonly rm: RmConfig;
  /** `--track-jobs`: trace job ids whose containers the report draws. */
  readonly trackJobs: readonly string[];
}

export interface SlsProgress {
  readonly simulatedMs: number;
  /** The last job end the trace names (SLS's "Estimated simulate time"). */
  readonly estimatedMs: number;
  readonly wallMs: number;
  readonly events: number;
  readonly jobsDone: number;
  readonly jobsTotal: number;
}

export interface SlsResult {
  readonly records: readonly JobRecord[];
  readonly samples: readonly TrackRecord[];
  readonly queues: readonly string[];
  readonly simulatedMs: number;
  readonly wallMs: number;
  /** Timers fired: NM and AM heartbeats, RM monitors, trace arrivals, samples. */
  readonly events: number;
  /** Jobs that could never finish (e.g. an AM no node can hold); the simulation stopped waiting for them. */
  readonly stuck: boolean;
  readonly operations: ReturnType<OperationTimes['summary']>;
  readonly nodes: number;
  readonly clusterResource: Resource;
  readonly heapUsedMb: number;
}

export interface SlsRunOptions {
  readonly logger: Logger;
  /** Called about once a second of wall time. */
  readonly onProgress?: (p: SlsProgress) => void;
  readonly progressIntervalMs?: number;
  /** Called for each sample as it is taken (realtimetrack.json is written from these). */
  readonly onSample?: (s: TrackRecord) => void;
}

/** RM configuration for a simulation: the user's, with nothing to recover (NullRMStateStore). */
export function simulationRmConfig(properties: ReadonlyMap<string, string>, dir: string): RmConfig {
  const props = new Map(properties);
  props.set('yarn.resourcemanager.recovery.enabled', 'false');
  return createRmConfig({ port: 0, host: '127.0.0.1', hostname: 'localhost', dir, properties: props });
}

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * SLSRunner on a discrete-event clock: the real ResourceManager (its state machines, scheduler
 * and protocol services, driven in-process) with a simulated NM per node and a simulated AM per
 * job. Time jumps from one event to the next; between two instants every promise the RM chained
 * settles, so each instant is as complete as on a real RM with no load.
 */
export async function runSimulation(plan: SlsPlan, opts: SlsRunOptions): Promise<SlsResult> {
  const { sls } = plan;
  const clock = new VirtualClock(SIM_EPOCH);
  const origin = clock.now();
  const times = new OperationTimes();
  const nms = new Map<string, NmSimulator>();
  const apps = new Map<string, AmSimulator>();
  const launches = new Map<string, AmLaunch>();
  const waitReasons = new Map<string, string>();
  let lastWaiting: ReadonlyMap<string, string> = new Map();
  const skipIdle = sls.skipIdleHeartbeats;
  let work = 0;

  const rm = new ResourceManager({
    config: plan.rm,
    clock,
    logger: opts.logger,
    store: new NullRmStateStore(),
    nmGateway: simNmGateway(
      (nodeId) => nms.get(nodeId),
      (appId, launch) => {
        const am = apps.get(appId);
        if (am) am.amLaunched(launch);
        else launches.set(appId, launch);
      },
    ),
    wrapScheduler: (scheduler) =>
      timedScheduler(scheduler, times, (decision) => {
        for (const a of decision.allocations) {
          if (!a.isAm) continue;
          const appId = applicationIdOfAttempt(a.attemptId);
          const reason = appId ? lastWaiting.get(appId) : undefined;
          if (appId && reason) waitReasons.set(appId, reason);
        }
        lastWaiting = decision.waiting;
      }),
  });
  const opNames: Record<string, Operation> = { allocate: 'allocate', nodeUpdate: 'NODE_UPDATE', nodeAdded: 'NODE_ADDED', appAdded: 'APP_ADDED' };
  const inProcess = new InProcessRm(rm, (op, ms) => times.add(opNames[op] as Operation, ms));
  const tracker = new ClusterTracker(rm.ctx, rm.ctx.scheduler.leafQueues().map((q) => q.slice(q.lastIndexOf('.') + 1)));

  const records: JobRecord[] = [];
  const active = new Set<AmSimulator>();
  let arrivalsLeft = plan.jobs.length;
  let jobsDone = 0;
  const env: SimEnv = {
    clock,
    rm: inProcess,
    config: sls,
    origin,
    skipIdle,
    // Half the AM liveness expiry: an idle AM is never expired for silence.
    amKeepAliveMs: Math.max(sls.amHeartbeatMs, Math.floor(plan.rm.amExpiryMs / 2)),
    nm: (nodeId) => nms.get(nodeId),
    simTime: () => clock.now() - origin,
    registerApp: (appId, am) => {
      apps.set(appId, am);
      const launch = launches.get(appId);
      if (launch) {
        launches.delete(appId);
        am.amLaunched(launch);
      }
      // Rejected at submission (e.g. an unknown queue): the RM already failed it.
      const app = rm.ctx.apps.get(appId);
      if (app?.isFinal) am.appEnded(app.publicState, app.diagnostics);
    },
    crashed: (am, err) => {
      opts.logger.error({ err, jobId: am.job.id }, 'simulated application failed');
      am.appEnded('FAILED', (err as Error).message);
    },
    jobEnded: (am) => {
      active.delete(am);
      if (am.appId) {
        apps.delete(am.appId);
        am.record.waitReason ||= waitReasons.get(am.appId) ?? '';
        waitReasons.delete(am.appId);
      }
      jobsDone++;
    },
    work: (delta) => {
      work += delta;
    },
  };

  rm.changes.subscribe((c: RmChange) => {
    if (c.kind === 'container') {
      const am = apps.get(applicationIdOfContainer(c.id) ?? '');
      if (am && c.state !== 'ACQUIRED' && c.state !== 'RUNNING') am.rmNews();
    } else if (c.kind === 'app' && isFinalApplicationState(c.state)) {
      const am = apps.get(c.id);
      const app = rm.ctx.apps.get(c.id);
      const diagnostics = app?.diagnostics ?? '';
      if (am) queueMicrotask(() => am.appEnded(c.state, diagnostics));
    }
  });

  await rm.startServices();
  const nmKeepAliveMs = Math.max(sls.nmHeartbeatMs, Math.floor(plan.rm.nmExpiryMs / 2));
  const total = { memory: 0, vCores: 0 };
  const resourceTracker = inProcess.resourceTracker();
  /** A simulated NM's failure that is not the RM's answer: thrown out of the run, as a bug. */
  let bug: { err: unknown } | undefined;
  for (const n of plan.nodes) {
    const nm = new NmSimulator({
      host: n.host,
      rack: n.rack,
      resource: n.resource,
      heartbeatMs: sls.nmHeartbeatMs,
      keepAliveMs: nmKeepAliveMs,
      origin,
      clock,
      rm: resourceTracker,
      skipIdle,
      onWork: (delta) => {
        work += delta;
      },
      crashed: (err) => {
        bug ??= { err };
      },
    });
    nms.set(nm.nodeId, nm);
    try {
      await nm.register();
      total.memory += n.resource.memory;
      total.vCores += n.resource.vCores;
    } catch {
      // The RM sent SHUTDOWN (below its minimum allocation): the node is not part of the cluster.
    }
  }

  // One Flink session cluster per flink.session, started by its first job.
  const sessions = new Map<string, FlinkClusterSimulator>();
  const sessionJobs = new Map<string, number>();
  for (const job of plan.jobs) {
    if (job.flink?.mode === 'session') sessionJobs.set(job.flink.session, (sessionJobs.get(job.flink.session) ?? 0) + 1);
  }
  const start = (am: AmSimulator): void => {
    active.add(am);
    am.submit().catch((err: unknown) => env.crashed(am, err));
  };
  const arrive = (job: JobSpec): void => {
    arrivalsLeft--;
    const record = newJobRecord({ jobId: job.id, amType: job.amType, queue: job.queue, user: job.user, traceStartMs: job.startMs, traceEndMs: job.endMs });
    records.push(record);
    if (job.flink?.mode === 'session') {
      let session = sessions.get(job.flink.session);
      if (!session) {
        const spec: JobSpec = { ...job, id: `session-${job.flink.session}`, tasks: [], amResource: job.amResource };
        const sessionRecord = newJobRecord({ jobId: `session:${job.flink.session}`, amType: 'flink-session', queue: job.queue, user: job.user, traceStartMs: job.startMs, traceEndMs: job.endMs });
        records.push(sessionRecord);
        session = new FlinkClusterSimulator(env, spec, sessionRecord, {
          mode: 'session',
          name: job.flink.session,
          taskManagerResource: sls.flink.taskManagerResource,
          expectedJobs: sessionJobs.get(job.flink.session) ?? 1,
        });
        sessions.set(job.flink.session, session);
        start(session);
      }
      // Counted as done by its session, which reports each job's own times.
      jobsDone++;
      session.addJob(job, record);
      return;
    }
    let am: AmSimulator;
    if (job.amType === 'flink') {
      const cluster = new FlinkClusterSimulator(env, job, record, {
        mode: 'per-job',
        name: job.id,
        taskManagerResource: job.flink?.taskManagerResource ?? sls.flink.taskManagerResource,
        expectedJobs: 1,
      });
      cluster.addJob(job, record);
      am = cluster;
    } else if (job.amType === 'stream') {
      am = new StreamAmSimulator(env, job, record);
    } else {
      am = new MrAmSimulator(env, job, record);
    }
    start(am);
  };
  for (const job of plan.jobs) clock.scheduleAt(origin + job.startMs, () => arrive(job));

  const samples: TrackRecord[] = [];
  const queues = (): string[] => [...tracker.byQueue.keys()];
  const sample = (): void => {
    const pending = new Map<string, { memory: number; vCores: number }>();
    for (const am of active) {
      const p = am.pending();
      if (p.memory === 0 && p.vCores === 0) continue;
      const queue = (am.appId ? rm.ctx.apps.get(am.appId)?.queue : undefined) ?? am.job.queue;
      tracker.queue(queue);
      const q = pending.get(queue) ?? { memory: 0, vCores: 0 };
      q.memory += p.memory;
      q.vCores += p.vCores;
      pending.set(queue, q);
    }
    const s = trackRecord({ now: clock.now(), simulatedMs: clock.now() - origin, tracker, total, pending, times: times.drain(), intervalS: sls.recordIntervalMs / 1000 });
    samples.push(s);
    opts.onSample?.(s);
  };
  const sampleLoop = (): void => {
    sample();
    if (jobsDone < jobsTotalNow()) clock.scheduleAt(clock.now() + sls.recordIntervalMs, sampleLoop, PRIORITY_SAMPLE);
  };
  const jobsTotalNow = (): number => plan.jobs.length + sessionJobs.size;
  if (plan.jobs.length > 0) clock.scheduleAt(origin, sampleLoop, PRIORITY_SAMPLE);

  const estimatedMs = plan.jobs.reduce((m, j) => Math.max(m, j.endMs, j.startMs), 0);
  const wallStart = performance.now();
  const interval = opts.progressIntervalMs ?? 1000;
  let nextProgress = wallStart + interval;
  let stuck = false;
  const progress = (): SlsProgress => ({
    simulatedMs: clock.now() - origin,
    estimatedMs,
    wallMs: performance.now() - wallStart,
    events: clock.fired,
    jobsDone,
    jobsTotal: jobsTotalNow(),
  });
  await immediate();
  while (arrivalsLeft > 0 || jobsDone < jobsTotalNow()) {
    if (clock.runInstant() === 0) break;
    await immediate();
    if (bug) throw bug.err;
    if (arrivalsLeft === 0 && work === 0 && [...active].every((am) => am.waitsForRm)) {
      // Everything left waits for the scheduler, which already said no: nothing can change any more.
      stuck = jobsDone < jobsTotalNow();
      if (stuck) break;
    }
    if (opts.onProgress && performance.now() >= nextProgress) {
      nextProgress = performance.now() + interval;
      opts.onProgress(progress());
    }
  }
  if (plan.jobs.length > 0) sample();
  const simulatedMs = clock.now() - origin;
  for (const r of records) {
    if (r.endMs !== undefined) continue;
    r.finalState = 'UNFINISHED';
    const waiting = r.appId ? lastWaiting.get(r.appId) : undefined;
    if (waiting) r.waitReason = waiting;
  }
  const liveNodes = [...nms.values()].filter((n) => n.alive).length;
  await rm.stopServices();
  for (const nm of nms.values()) nm.stop();
  opts.onProgress?.(progress());
  return {
    records,
    samples,
    queues: queues(),
    simulatedMs,
    wallMs: performance.now() - wallStart,
    events: clock.fired,
    stuck,
    operations: times.summary(),
    nodes: liveNodes,
    clusterResource: total,
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / (1024 * 1024)),
  };
}
