import type { Container, ContainerStatus, Resource } from '../protocol/records.ts';
import { AmSimulator } from './am-simulator.ts';
import type { SimContainerRecord, JobRecord } from './job-record.ts';
import type { SimEnv } from './sim-env.ts';
import { formatResource } from './sls-format.ts';
import type { JobSpec } from './sls-job.ts';

/** Flink's YARN driver asks for TaskManagers at priority 1 (its first TaskExecutorProcessSpec). */
const TASK_MANAGER_PRIORITY = 1;

interface FlinkJob {
  readonly spec: JobSpec;
  readonly record: JobRecord;
  readonly slots: number;
  /** Slots held, by TaskManager container. */
  readonly held: Map<string, number>;
  assigned: number;
  /** Run time left; a job restarted after losing a TaskManager runs the rest. */
  remainingMs: number;
  startedAt: number | undefined;
  cancelEnd: (() => void) | undefined;
}

interface TaskManager {
  readonly id: string;
  readonly record: SimContainerRecord;
  readonly slots: number;
  free: number;
  ready: boolean;
  cancelIdle: (() => void) | undefined;
}

export interface FlinkClusterSimulatorOptions {
  readonly mode: 'per-job' | 'session';
  /** The session's name (`flink.session`); the job's id in per-job mode. */
  readonly name: string;
  readonly taskManagerResource: Resource;
  /** Jobs this session will receive from the trace; it shuts down after the last one and its idle TaskManagers. */
  readonly expectedJobs: number;
}

/**
 * A Flink cluster on YARN: the JobManager is the AM (its start-up is `am.startup.ms` or
 * `yarn.sls.flink.jobmanager.startup.ms`), and its Flink ResourceManager asks YARN for
 * TaskManagers of `taskmanager.memory.process.size` with `taskmanager.numberOfTaskSlots` slots
 * each, as many as the jobs' missing slots need. A TaskManager offers its slots
 * `container.startup.ms` (`yarn.sls.flink.taskmanager.startup.ms`) after its container
 * launched; a job starts once all its slots are there and runs for its trace duration.
 *
 * - per-job: one job; the cluster (AM and TaskManagers) goes away when the job finishes.
 * - session: one long-running AM for every job of a `flink.session`; TaskManagers are requested
 *   on demand and one whose slots have all been free for `resourcemanager.taskmanager-timeout` is
 *   released. The session stops after its last job once no TaskManager is left.
 */
export class FlinkClusterSimulator extends AmSimulator {
  private readonly opts: FlinkClusterSimulatorOptions;
  private readonly waiting: FlinkJob[] = [];
  private readonly running = new Set<FlinkJob>();
  private readonly tms = new Map<string, TaskManager>();
  /** TaskManagers asked for and not yet allocated. */
  private requested = 0;
  private jobsFinished = 0;
  private failed = false;

  constructor(env: SimEnv, spec: JobSpec, record: JobRecord, opts: FlinkClusterSimulatorOptions) {
    super(env, spec, record);
    this.opts = opts;
  }

  protected submission() {
    return { name: this.opts.mode === 'session' ? `Flink session cluster ${this.opts.name}` : `Flink per-job cluster ${this.opts.name}`, type: 'Apache Flink', amResource: this.job.amResource };
  }

  /** A job of this cluster arrived (per-job: its only one, at submission). */
  addJob(spec: JobSpec, record: JobRecord): void {
    const slots = Math.max(1, spec.flink?.slots ?? 1);
    record.flink = { mode: this.opts.mode, session: this.opts.mode === 'session' ? this.opts.name : '', slots };
    record.submitMs = this.env.simTime();
    if (this.appId) record.appId = this.appId;
    const job: FlinkJob = { spec, record, slots, held: new Map(), assigned: 0, remainingMs: spec.flink?.runMs ?? 0, startedAt: undefined, cancelEnd: undefined };
    if (this.failed) {
      this.endJob(job, 'FAILED', this.record.diagnostics);
      return;
    }
    this.waiting.push(job);
    this.rebalance();
  }

  private get slotsPerTaskManager(): number {
    return this.env.config.flink.slotsPerTaskManager;
  }

  protected onRegistered(): void {
    for (const job of this.waiting) job.record.appId = this.appId;
    if (!this.fits(this.opts.taskManagerResource)) {
      const why = `TaskManager ${formatResource(this.opts.taskManagerResource)} is larger than the maximum allocation ${formatResource(this.maximumCapability)}`;
      this.record.skipped.push(why);
      this.failed = true;
      for (const job of this.waiting.splice(0)) this.endJob(job, 'FAILED', why);
      this.finish('FAILED', why);
      return;
    }
    this.rebalance();
  }

  /** Gives free slots to waiting jobs in arrival order, starts the complete ones, asks for what is still missing. */
  private rebalance(): void {
    for (const job of [...this.waiting]) {
      for (const tm of this.tms.values()) {
        if (job.assigned >= job.slots) break;
        if (!tm.ready || tm.free === 0) continue;
        const n = Math.min(tm.free, job.slots - job.assigned);
        tm.free -= n;
        job.assigned += n;
        job.held.set(tm.id, (job.held.get(tm.id) ?? 0) + n);
        tm.cancelIdle?.();
        tm.cancelIdle = undefined;
      }
      if (job.assigned >= job.slots) this.startJob(job);
    }
    let missing = 0;
    for (const job of this.waiting) missing += job.slots - job.assigned;
    for (const tm of this.tms.values()) if (!tm.ready) missing -= tm.slots;
    missing -= this.requested * this.slotsPerTaskManager;
    if (missing > 0 && !this.failed) {
      this.requested += Math.ceil(missing / this.slotsPerTaskManager);
      this.askTaskManagers();
    }
    this.maybeStop();
  }

  private askTaskManagers(): void {
    this.ask([
      {
        priority: TASK_MANAGER_PRIORITY,
        allocationRequestId: 0,
        resourceName: '*',
        capability: this.opts.taskManagerResource,
        numContainers: this.requested,
        relaxLocality: true,
        executionType: 'GUARANTEED',
      },
    ]);
  }

  private startJob(job: FlinkJob): void {
    this.waiting.splice(this.waiting.indexOf(job), 1);
    this.running.add(job);
    job.startedAt = this.env.clock.now();
    if (job.record.flink && job.record.flink.runningMs === undefined) job.record.flink.runningMs = this.env.simTime();
    job.cancelEnd = this.later(job.startedAt + job.remainingMs, () => this.jobFinished(job));
  }

  private jobFinished(job: FlinkJob): void {
    job.cancelEnd = undefined;
    this.running.delete(job);
    this.freeSlots(job);
    this.endJob(job, 'FINISHED');
    if (this.opts.mode === 'per-job') {
      // The job's cluster shuts down with it: the RM ends the TaskManagers of the finished application.
      this.finish();
      return;
    }
    this.rebalance();
  }

  private endJob(job: FlinkJob, state: string, diagnostics = ''): void {
    const flink = job.record.flink;
    if (flink) flink.finishedMs = this.env.simTime();
    if (this.opts.mode === 'session') {
      job.record.finalState = state;
      job.record.endMs = this.env.simTime();
      if (diagnostics) job.record.diagnostics = diagnostics;
    }
    this.jobsFinished++;
  }

  private freeSlots(job: FlinkJob): void {
    for (const [tmId, n] of job.held) {
      const tm = this.tms.get(tmId);
      if (!tm) continue;
      tm.free += n;
      if (tm.free === tm.slots) this.idle(tm);
    }
    job.held.clear();
    job.assigned = 0;
  }

  /** resourcemanager.taskmanager-timeout: an idle TaskManager is released. */
  private idle(tm: TaskManager): void {
    if (this.opts.mode !== 'session') return;
    tm.cancelIdle?.();
    tm.cancelIdle = this.later(this.env.clock.now() + this.env.config.flink.taskManagerTimeoutMs, () => {
      tm.cancelIdle = undefined;
      if (tm.free !== tm.slots) return;
      this.tms.delete(tm.id);
      this.release([tm.id]);
      this.maybeStop();
    });
  }

  private maybeStop(): void {
    if (this.opts.mode !== 'session') return;
    if (this.jobsFinished < this.opts.expectedJobs || this.waiting.length > 0 || this.running.size > 0) return;
    if (this.tms.size > 0 || this.requested > 0) return;
    this.finish();
  }

  protected override outstanding(): Resource {
    const r = this.opts.taskManagerResource;
    return { memory: r.memory * this.requested, vCores: r.vCores * this.requested };
  }

  protected onAllocated(container: Container): void {
    if (this.requested <= 0) {
      this.release([container.id]);
      return;
    }
    this.requested--;
    const record = this.launch(container, 'taskmanager', 'taskmanager', undefined);
    const tm: TaskManager = { id: container.id, record, slots: this.slotsPerTaskManager, free: this.slotsPerTaskManager, ready: false, cancelIdle: undefined };
    this.tms.set(container.id, tm);
    this.later(this.env.clock.now() + this.job.containerStartupMs, () => {
      if (!this.tms.has(tm.id)) return;
      tm.ready = true;
      this.rebalance();
      if (tm.free === tm.slots) this.idle(tm);
    });
  }

  protected onCompleted(status: ContainerStatus, _rec: SimContainerRecord | undefined): void {
    const tm = this.tms.get(status.containerId);
    if (!tm) return;
    // A TaskManager was lost: its jobs fail over and wait for slots again (with the run time they had left).
    this.tms.delete(tm.id);
    tm.cancelIdle?.();
    for (const job of [...this.running]) {
      if (!job.held.has(tm.id)) continue;
      job.held.delete(tm.id);
      job.cancelEnd?.();
      job.cancelEnd = undefined;
      job.remainingMs = Math.max(0, job.remainingMs - (this.env.clock.now() - (job.startedAt ?? this.env.clock.now())));
      this.running.delete(job);
      this.freeSlots(job);
      this.waiting.unshift(job);
    }
    for (const job of this.waiting) {
      const n = job.held.get(tm.id);
      if (n === undefined) continue;
      job.held.delete(tm.id);
      job.assigned -= n;
    }
    this.rebalance();
  }

  protected override onEnded(): void {
    for (const job of [...this.waiting, ...this.running]) {
      job.cancelEnd?.();
      this.endJob(job, this.record.finalState ?? 'FAILED', this.record.diagnostics || 'its Flink cluster ended');
    }
    this.waiting.length = 0;
    this.running.clear();
    for (const tm of this.tms.values()) tm.cancelIdle?.();
  }

  protected override progress(): number {
    return this.opts.expectedJobs === 0 ? 1 : this.jobsFinished / this.opts.expectedJobs;
  }
}
