import type { AllocateResponse, ApplicationMasterProtocol } from '../protocol/am-rm.ts';
import type { Container, ContainerStatus, Resource, ResourceRequest } from '../protocol/records.ts';
import { rmErrorCode } from './in-process-rm.ts';
import type { SimContainerRecord, JobRecord } from './job-record.ts';
import type { SimEnv } from './sim-env.ts';
import type { JobSpec } from './sls-job.ts';

/** What the RM's launcher handed the simulated NM when it started this AM's container. */
export interface AmLaunch {
  readonly containerId: string;
  readonly nodeId: string;
  readonly resource: Resource;
  readonly amrmToken: string;
}

/**
 * SLS's AMSimulator on virtual time: submits its application at the trace's start time through
 * the RM's client API, registers once the RM's launcher started its AM container on a simulated
 * NM (after the AM's start-up time), then heartbeats `allocate` every
 * `yarn.sls.am.heartbeat.interval.ms` with its asks, launches what it is given on the simulated
 * NMs, and unregisters when its work is done. Subclasses (MRAMSimulator, StreamAMSimulator, the
 * Flink ones) decide what to ask and when they are done.
 *
 * With `skipIdle` a heartbeat that would carry no news either way is skipped: the AM beats when
 * it has asks or releases to send, when the RM allocated or completed one of its containers, when
 * one of its own timers is due, and often enough for the AM liveness monitor. An idle allocate
 * call changes nothing the scheduler decides on, so the allocations are those of a run with every
 * heartbeat, give or take one heartbeat interval.
 */
export abstract class AmSimulator {
  readonly job: JobSpec;
  readonly record: JobRecord;
  protected readonly env: SimEnv;
  appId: string | undefined;
  protected amContainer: AmLaunch | undefined;
  /** The largest container the RM will give (RegisterApplicationMasterResponse.maximumCapability). */
  protected maximumCapability: Resource = { memory: Number.POSITIVE_INFINITY, vCores: Number.POSITIVE_INFINITY };
  private amRm: ApplicationMasterProtocol | undefined;
  private responseId = 0;
  private registered = false;
  private finished = false;
  private ended = false;
  private asks: ResourceRequest[] = [];
  private releases: string[] = [];
  private beatAt: number | undefined;
  private cancelBeat: (() => void) | undefined;
  private lastBeat = Number.NEGATIVE_INFINITY;
  /** The RM has something for this AM that its next heartbeat picks up. */
  private news = false;
  /** Containers handed to this AM that are not yet complete, with their records. */
  protected readonly live = new Map<string, SimContainerRecord>();

  constructor(env: SimEnv, job: JobSpec, record: JobRecord) {
    this.env = env;
    this.job = job;
    this.record = record;
  }

  /** The YARN application's name, type and AM size for submission. */
  protected abstract submission(): { name: string; type: string; amResource: Resource };
  /** Registered: set up the first asks. */
  protected abstract onRegistered(): void;
  protected abstract onAllocated(container: Container): void;
  protected abstract onCompleted(status: ContainerStatus, record: SimContainerRecord | undefined): void;

  get isDone(): boolean {
    return this.ended;
  }

  /** Submits the application (SLS's firstStep), at the job's start time. */
  async submit(): Promise<void> {
    const { name, type, amResource } = this.submission();
    this.record.submitMs = this.env.simTime();
    try {
      this.appId = await this.env.rm.submit(this.job.user, {
        'application-name': name,
        'application-type': type,
        queue: this.job.queue,
        priority: 0,
        // SLS submits every application with one attempt.
        'max-app-attempts': 1,
        resource: amResource,
        'am-container-spec': { commands: { command: `sls-simulated-am ${this.job.amType}` } },
        'unmanaged-AM': false,
        'keep-containers-across-application-attempts': false,
        'attempt-failures-validity-interval': -1,
        'cancel-tokens-when-complete': true,
      });
    } catch (err) {
      const code = rmErrorCode(err);
      if (!code) throw err;
      this.record.diagnostics = (err as Error).message;
      this.end('FAILED');
      return;
    }
    this.record.appId = this.appId;
    this.env.registerApp(this.appId, this);
  }

  /** The RM's AMLauncher started this AM's container on a simulated NM: register after start-up. */
  amLaunched(launch: AmLaunch): void {
    if (this.ended) return;
    this.amContainer = launch;
    const now = this.env.clock.now();
    this.record.amAllocatedMs = this.env.simTime();
    this.record.containers.push({
      id: launch.containerId,
      nodeId: launch.nodeId,
      kind: 'am',
      type: 'am',
      resource: launch.resource,
      allocatedMs: this.env.simTime(),
      startMs: this.env.simTime(),
      endMs: undefined,
    });
    this.later(now + this.job.amStartupMs, () => this.step(() => this.register()));
  }

  /** Runs one protocol step of this AM; a failure that is not the RM's answer is a simulator bug. */
  private step(run: () => Promise<void>): void {
    run().catch((err: unknown) => this.env.crashed(this, err));
  }

  private async register(): Promise<void> {
    if (this.ended || !this.amContainer) return;
    this.amRm = this.env.rm.amRm(this.amContainer.amrmToken);
    try {
      const res = await this.amRm.registerApplicationMaster({ body: { host: 'localhost', rpcPort: 1000, trackingUrl: 'localhost:1000' } });
      this.maximumCapability = res.maximumCapability;
    } catch (err) {
      if (!rmErrorCode(err)) throw err;
      // The attempt ended before the AM came up (killed, expired): the app's end reaches us.
      return;
    }
    if (this.ended) return;
    this.registered = true;
    this.record.registeredMs = this.env.simTime();
    this.onRegistered();
    this.wake(this.env.clock.now());
  }

  /** Queues asks for the next heartbeat (each replaces the outstanding ask of its key, as YARN's do). */
  protected ask(requests: readonly ResourceRequest[]): void {
    this.asks.push(...requests);
    this.wake(this.env.clock.now());
  }

  protected release(containerIds: readonly string[]): void {
    this.releases.push(...containerIds);
    this.wake(this.env.clock.now());
  }

  /** Starts an allocated container on its simulated NM; `lifetimeMs` undefined runs it until released. */
  protected launch(container: Container, kind: SimContainerRecord['kind'], type: string, lifetimeMs: number | undefined): SimContainerRecord {
    const rec: SimContainerRecord = {
      id: container.id,
      nodeId: container.nodeId,
      kind,
      type,
      resource: container.resource,
      allocatedMs: this.env.simTime(),
      startMs: this.env.simTime(),
      endMs: undefined,
    };
    this.record.containers.push(rec);
    this.live.set(container.id, rec);
    const nm = this.env.nm(container.nodeId);
    if (nm) nm.startContainer(container.id, container.resource, lifetimeMs);
    return rec;
  }

  /** An RM event concerning one of this AM's containers (allocated, completed): beat to hear of it. */
  rmNews(): void {
    if (!this.registered || this.finished) return;
    this.news = true;
    this.wake(this.env.clock.now());
  }

  /** Nothing to send and nothing to hear of: only the scheduler can move this application on. */
  get waitsForRm(): boolean {
    return this.asks.length === 0 && this.releases.length === 0 && !this.news;
  }

  /** A heartbeat at or after `at` (on the heartbeat grid), e.g. for a timer of the subclass. */
  protected wake(at: number): void {
    if (!this.registered || this.finished || this.ended) return;
    const { clock, config, origin } = this.env;
    const interval = config.amHeartbeatMs;
    let tick = origin + Math.ceil((Math.max(at, clock.now()) - origin) / interval) * interval;
    if (tick <= this.lastBeat) tick = this.lastBeat + interval;
    if (this.beatAt !== undefined && this.beatAt <= tick) return;
    this.cancelBeat?.();
    this.beatAt = tick;
    this.cancelBeat = clock.scheduleAt(tick, () => this.step(() => this.heartbeat()));
  }

  private async heartbeat(): Promise<void> {
    this.beatAt = undefined;
    this.cancelBeat = undefined;
    if (!this.registered || this.finished || this.ended || !this.amRm) return;
    const now = this.env.clock.now();
    this.lastBeat = now;
    this.news = false;
    const ask = this.asks.splice(0);
    const release = this.releases.splice(0);
    let res: AllocateResponse;
    try {
      res = await this.amRm.allocate({ body: { ask, release, responseId: this.responseId, progress: this.progress() } });
    } catch (err) {
      if (rmErrorCode(err) === 'InvalidResourceRequest') {
        // Asks were checked against maximumCapability; a failure here is the RM's word and final for the app.
        this.record.diagnostics = (err as Error).message;
        this.finish('FAILED', (err as Error).message);
        return;
      }
      if (!rmErrorCode(err)) throw err;
      return;
    }
    this.responseId = res.responseId;
    if (res.aMCommand === 'AM_SHUTDOWN' || this.finished) return;
    for (const status of res.completedContainerStatuses) {
      const rec = this.live.get(status.containerId);
      if (rec) {
        rec.endMs = this.env.simTime();
        rec.exitStatus = status.exitStatus;
        this.live.delete(status.containerId);
      }
      this.onCompleted(status, rec);
      if (this.finished) return;
    }
    for (const c of res.allocatedContainers) {
      this.onAllocated(c);
      if (this.finished) return;
    }
    if (!this.env.skipIdle) this.wake(now + this.env.config.amHeartbeatMs);
    else this.wake(now + this.env.amKeepAliveMs);
  }

  protected progress(): number {
    return 0;
  }

  /** Unregisters (FinishApplicationMaster) and lets the AM container exit, as SLS's lastStep. */
  protected finish(status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED', diagnostics = ''): void {
    if (this.finished || !this.amRm || !this.amContainer) return;
    this.finished = true;
    this.cancelBeat?.();
    this.cancelBeat = undefined;
    const { amRm, amContainer } = this;
    this.step(async () => {
      try {
        await amRm.finishApplicationMaster({ body: { finalApplicationStatus: status, diagnostics, trackingUrl: '' } });
      } catch (err) {
        if (!rmErrorCode(err)) throw err;
      }
      this.record.unregisteredMs = this.env.simTime();
      this.env.nm(amContainer.nodeId)?.exitContainer(amContainer.containerId);
    });
  }

  /** The application reached a final state (from the RM's change feed, or a failed submission). */
  appEnded(state: string, diagnostics = ''): void {
    if (this.ended) return;
    this.end(state, diagnostics);
  }

  private end(state: string, diagnostics = ''): void {
    this.ended = true;
    this.finished = true;
    this.cancelBeat?.();
    this.cancelBeat = undefined;
    const now = this.env.simTime();
    this.record.finalState = state;
    if (diagnostics && !this.record.diagnostics) this.record.diagnostics = diagnostics;
    this.record.endMs = now;
    for (const c of this.record.containers) if (c.endMs === undefined) c.endMs = now;
    this.live.clear();
    this.onEnded();
    this.env.jobEnded(this);
  }

  /**
   * A timer of this AM (start-up, a job's end, an idle timeout): counted as work in progress, so
   * the runner can tell a simulation that waits for time from one that waits forever.
   */
  protected later(at: number, fn: () => void): () => void {
    const { clock } = this.env;
    this.env.work(1);
    let done = false;
    const settle = (): void => {
      if (done) return;
      done = true;
      this.env.work(-1);
    };
    const cancel = clock.scheduleAt(at, () => {
      settle();
      fn();
    });
    return () => {
      cancel();
      settle();
    };
  }

  /** Subclass clean-up once the application is over. */
  protected onEnded(): void {}

  /** What the application waits for now (its AM container, asked containers not yet given): its queue's pending. */
  pending(): Resource {
    if (this.ended || this.appId === undefined) return { memory: 0, vCores: 0 };
    const out = this.outstanding();
    if (this.amContainer) return out;
    const am = this.job.amResource;
    return { memory: out.memory + am.memory, vCores: out.vCores + am.vCores };
  }

  /** Containers asked for and not yet allocated. */
  protected outstanding(): Resource {
    return { memory: 0, vCores: 0 };
  }

  /** Splits off tasks larger than the RM's maximum allocation: reported and skipped, as the issue asks. */
  protected fits(resource: Resource): boolean {
    return resource.memory <= this.maximumCapability.memory && resource.vCores <= this.maximumCapability.vCores;
  }
}
