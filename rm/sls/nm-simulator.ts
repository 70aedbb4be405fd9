import { ContainerExitStatus, type ContainerStatus, type Resource } from '../protocol/records.ts';
import { applicationIdOfContainer, formatNodeId } from '../protocol/ids.ts';
import type { ResourceTracker } from '../protocol/resource-tracker.ts';
import type { VirtualClock } from './virtual-clock.ts';

/** The port every simulated NM claims in its node id (`host:8041`), as SLS's NodeInfo gives each one. */
export const SIM_NM_PORT = 8041;

interface SimContainer {
  readonly id: string;
  readonly resource: Resource;
  /** When its work is done; undefined for an AM or a TaskManager, which end when told to. */
  endAt: number | undefined;
  reportedRunning: boolean;
}

export interface NmSimulatorOptions {
  readonly host: string;
  readonly rack: string;
  readonly resource: Resource;
  readonly heartbeatMs: number;
  /** Heartbeat at least this often even with nothing to report, so the RM's liveness monitor does not expire the node. */
  readonly keepAliveMs: number;
  /** Start of the heartbeat grid (the simulation start): every NM beats in step, one interval apart. */
  readonly origin: number;
  readonly clock: VirtualClock;
  readonly rm: ResourceTracker;
  /** False: heartbeat every interval, news or not, as SLS's NMSimulator does. */
  readonly skipIdle: boolean;
  /** A container with a set duration started (+1) or ended (-1): work that finishes by itself. */
  readonly onWork?: (delta: 1 | -1) => void;
  /** A heartbeat failed for a reason that is not the RM's answer: a simulator bug, which ends the run. */
  readonly crashed: (err: unknown) => void;
}

/**
 * SLS's NMSimulator on virtual time: registers, runs containers for their trace duration without
 * executing anything, and heartbeats every `yarn.sls.nm.heartbeat.interval.ms` with what changed
 * (new containers RUNNING, finished ones COMPLETE with exit 0). With `skipIdle` a heartbeat that
 * would carry no news is skipped, except every `keepAliveMs`: the RM would only refresh the
 * node's liveness (weft's scheduler does not wait for node heartbeats to place containers).
 */
export class NmSimulator {
  readonly host: string;
  readonly rack: string;
  readonly nodeId: string;
  readonly resource: Resource;
  private readonly opts: NmSimulatorOptions;
  private readonly running = new Map<string, SimContainer>();
  private readonly completed: ContainerStatus[] = [];
  private responseId = 0;
  private beatAt: number | undefined;
  private cancelBeat: (() => void) | undefined;
  private lastBeat = Number.NEGATIVE_INFINITY;
  /** False once the RM told it to shut down. */
  alive = true;

  constructor(opts: NmSimulatorOptions) {
    this.opts = opts;
    this.host = opts.host;
    this.rack = opts.rack;
    this.resource = opts.resource;
    this.nodeId = formatNodeId(opts.host, SIM_NM_PORT);
  }

  /** Registers with the RM; rejects when the RM sends SHUTDOWN (the node is not part of the cluster). */
  async register(): Promise<void> {
    const body = {
      nodeId: this.nodeId,
      httpPort: SIM_NM_PORT,
      resource: this.resource,
      nmVersion: 'sls',
      containerStatuses: [],
      runningApplications: [],
    };
    const res = await this.opts.rm.registerNodeManager({ body });
    this.responseId = 0;
    if (res.nodeAction === 'SHUTDOWN') {
      this.alive = false;
      throw new Error(`node ${this.nodeId}: ${res.diagnosticsMessage}`);
    }
    this.wake(this.opts.clock.now() + this.opts.keepAliveMs);
  }

  /** A container launched here (an AM by the RM's launcher, a task by its AM); `lifetimeMs` undefined = until stopped. */
  startContainer(containerId: string, resource: Resource, lifetimeMs: number | undefined): void {
    const now = this.opts.clock.now();
    this.running.set(containerId, { id: containerId, resource, endAt: lifetimeMs === undefined ? undefined : now + lifetimeMs, reportedRunning: false });
    if (lifetimeMs !== undefined) this.opts.onWork?.(1);
    this.wake(now);
  }

  /** A completion to send with the next heartbeat: work until it is sent. */
  private report(status: ContainerStatus): void {
    this.completed.push(status);
    this.opts.onWork?.(1);
  }

  /** Forgets a container (it completed or was stopped), settling its work. */
  private drop(c: SimContainer): void {
    this.running.delete(c.id);
    if (c.endAt !== undefined) this.opts.onWork?.(-1);
  }

  /** A process that runs until told (AM, TaskManager) exited with `exitStatus`. */
  exitContainer(containerId: string, exitStatus: number = ContainerExitStatus.SUCCESS, diagnostics = ''): void {
    const c = this.running.get(containerId);
    if (!c) return;
    this.drop(c);
    this.report({ containerId, state: 'COMPLETE', exitStatus, diagnostics });
    this.wake(this.opts.clock.now());
  }

  /** The RM ended a container here (release, kill): stop it at the next heartbeat, as the NM would. */
  stopRequested(): void {
    this.wake(this.opts.clock.now());
  }

  get containerCount(): number {
    return this.running.size;
  }

  /** Schedules a heartbeat at the first grid tick at or after `at` (not twice in one instant). */
  wake(at: number): void {
    if (!this.alive) return;
    const { heartbeatMs, origin, clock } = this.opts;
    let tick = origin + Math.ceil((Math.max(at, clock.now()) - origin) / heartbeatMs) * heartbeatMs;
    if (tick <= this.lastBeat) tick = this.lastBeat + heartbeatMs;
    if (this.beatAt !== undefined && this.beatAt <= tick) return;
    this.cancelBeat?.();
    this.beatAt = tick;
    this.cancelBeat = clock.scheduleAt(tick, () => {
      this.heartbeat().catch(this.opts.crashed);
    });
  }

  private async heartbeat(): Promise<void> {
    this.beatAt = undefined;
    this.cancelBeat = undefined;
    if (!this.alive) return;
    const now = this.opts.clock.now();
    this.lastBeat = now;
    const statuses: ContainerStatus[] = this.completed.splice(0);
    for (let i = 0; i < statuses.length; i++) this.opts.onWork?.(-1);
    let nextEnd = Number.POSITIVE_INFINITY;
    for (const c of this.running.values()) {
      if (c.endAt !== undefined && c.endAt <= now) {
        this.drop(c);
        statuses.push({ containerId: c.id, state: 'COMPLETE', exitStatus: ContainerExitStatus.SUCCESS, diagnostics: '' });
        continue;
      }
      if (!c.reportedRunning) {
        c.reportedRunning = true;
        statuses.push({ containerId: c.id, state: 'RUNNING', exitStatus: ContainerExitStatus.INVALID, diagnostics: '' });
      }
      if (c.endAt !== undefined && c.endAt < nextEnd) nextEnd = c.endAt;
    }
    const body = {
      nodeStatus: {
        nodeId: this.nodeId,
        responseId: this.responseId,
        containersStatuses: statuses,
        nodeHealthStatus: { isNodeHealthy: true, healthReport: '', lastHealthReportTime: now },
        keepAliveApplications: [],
      },
      // Simulated containers write no logs, so there is nothing to aggregate.
      logAggregationReportsForApps: [],
    };
    const res = await this.opts.rm.nodeHeartbeat({ body });
    this.responseId = res.responseId;
    for (const id of res.containersToCleanup) {
      const c = this.running.get(id);
      if (!c) continue;
      this.drop(c);
      this.report({ containerId: id, state: 'COMPLETE', exitStatus: ContainerExitStatus.KILLED_BY_RESOURCEMANAGER, diagnostics: 'Container killed by the ResourceManager.' });
    }
    if (res.applicationsToCleanup.length > 0) {
      const apps = new Set(res.applicationsToCleanup);
      for (const c of [...this.running.values()]) if (apps.has(applicationIdOfContainer(c.id) ?? '')) this.drop(c);
    }
    if (res.nodeAction === 'SHUTDOWN') {
      this.alive = false;
      return;
    }
    if (res.nodeAction === 'RESYNC') {
      // The RM lost track of this node (e.g. after a missed response): register again with what runs.
      await this.reRegister();
    }
    if (this.completed.length > 0) this.wake(now);
    if (nextEnd !== Number.POSITIVE_INFINITY) this.wake(nextEnd);
    this.wake(now + (this.opts.skipIdle ? this.opts.keepAliveMs : this.opts.heartbeatMs));
  }

  private async reRegister(): Promise<void> {
    const now = this.opts.clock.now();
    const body = {
      nodeId: this.nodeId,
      httpPort: SIM_NM_PORT,
      resource: this.resource,
      nmVersion: 'sls',
      containerStatuses: [...this.running.values()].map((c) => ({
        containerId: c.id,
        containerState: 'RUNNING' as const,
        resource: c.resource,
        priority: 0,
        diagnostics: '',
        containerExitStatus: ContainerExitStatus.INVALID,
        creationTime: now,
      })),
      runningApplications: [],
    };
    const res = await this.opts.rm.registerNodeManager({ body });
    this.responseId = 0;
    if (res.nodeAction === 'SHUTDOWN') this.alive = false;
  }

  stop(): void {
    this.alive = false;
    this.cancelBeat?.();
    this.cancelBeat = undefined;
  }
}
