import { every, type Cancel, type Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { HeartbeatListener } from './heartbeat-listener.ts';
import type { HeartbeatServices } from './heartbeat-services.ts';
import type { HeartbeatTarget } from './heartbeat-target.ts';

export interface HeartbeatManagerDeps<I, O> {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly services: HeartbeatServices;
  readonly listener: HeartbeatListener<I, O>;
}

interface Monitor<I, O> {
  readonly target: HeartbeatTarget<I, O>;
  lastHeartbeat: number;
  failedRpcs: number;
  /** Heartbeat requests sent and not answered yet. */
  inFlight: number;
  /** The timeout came while requests were in flight: their outcome decides. */
  overdue: boolean;
  cancelTimeout: Cancel;
}

/**
 * One heartbeat manager for every pair (Flink's HeartbeatManagerSenderImpl with its
 * HeartbeatMonitors): every `heartbeat.interval` it sends each monitored target a heartbeat
 * request; every sign of life (an answer, a heartbeat the target sent, a heartbeat request from
 * it) reports the payload and moves the target's timeout `heartbeat.timeout` later. A target
 * silent past its timeout, or failing `heartbeat.rpc-failure-threshold` requests in a row, is
 * unmonitored and handed to the listener. Time comes from the injected clock.
 *
 * One difference from Flink: when the timeout comes while a request to the target is still on its
 * way, the verdict waits for that request (no new ones go out meanwhile): an answer keeps the
 * target, a failure (the RPC's own timeout included) loses it. A process that stalled for the
 * timeout (a long GC, a stopped laptop, a manual clock advanced in one step) then does not declare
 * every target dead before their answers could arrive.
 */
export class HeartbeatManager<I, O> {
  private readonly deps: HeartbeatManagerDeps<I, O>;
  private readonly monitors = new Map<string, Monitor<I, O>>();
  private stopLoop: Cancel | undefined;

  constructor(deps: HeartbeatManagerDeps<I, O>) {
    this.deps = deps;
  }

  get services(): HeartbeatServices {
    return this.deps.services;
  }

  /** Starts the request loop; the first round goes out one interval from now. */
  start(): void {
    this.stopLoop ??= every(this.deps.clock, this.deps.services.intervalMs, () => this.requestAll());
  }

  /** Stops the loop and forgets every target (no listener calls follow). */
  stop(): void {
    this.stopLoop?.();
    this.stopLoop = undefined;
    for (const monitor of this.monitors.values()) monitor.cancelTimeout();
    this.monitors.clear();
  }

  /** Monitors `resourceId` from now on, replacing an earlier target of that id (whose answers are then ignored). */
  monitorTarget(resourceId: string, target: HeartbeatTarget<I, O>): void {
    this.monitors.get(resourceId)?.cancelTimeout();
    const monitor: Monitor<I, O> = { target, lastHeartbeat: this.deps.clock.now(), failedRpcs: 0, inFlight: 0, overdue: false, cancelTimeout: () => {} };
    this.monitors.set(resourceId, monitor);
    this.scheduleTimeout(resourceId, monitor);
  }

  unmonitorTarget(resourceId: string): void {
    this.monitors.get(resourceId)?.cancelTimeout();
    this.monitors.delete(resourceId);
  }

  isMonitored(resourceId: string): boolean {
    return this.monitors.has(resourceId);
  }

  /** When the target was last heard from (epoch ms), if it is monitored. */
  getLastHeartbeatFrom(resourceId: string): number | undefined {
    return this.monitors.get(resourceId)?.lastHeartbeat;
  }

  /** A heartbeat from the target arrived; false when it is not monitored (its payload is then dropped). */
  receiveHeartbeat(heartbeatOrigin: string, payload: I): boolean {
    const monitor = this.monitors.get(heartbeatOrigin);
    if (!monitor) return false;
    this.reportHeartbeat(heartbeatOrigin, monitor);
    this.deps.listener.reportPayload(heartbeatOrigin, payload);
    return true;
  }

  /**
   * The target asked this side for a heartbeat: it is alive. Returns this side's payload, which
   * travels back as the answer; an origin that is not monitored gets it too, as HTTP needs an answer.
   */
  requestHeartbeat(requestOrigin: string): O {
    const monitor = this.monitors.get(requestOrigin);
    if (monitor) this.reportHeartbeat(requestOrigin, monitor);
    return this.deps.listener.retrievePayload(requestOrigin);
  }

  /** Sends the target a heartbeat request now, between rounds (e.g. to re-read a report that may be stale). */
  triggerHeartbeat(resourceId: string): void {
    const monitor = this.monitors.get(resourceId);
    if (monitor) this.sendRequest(resourceId, monitor);
  }

  private requestAll(): void {
    for (const [resourceId, monitor] of this.monitors) this.sendRequest(resourceId, monitor);
  }

  private sendRequest(resourceId: string, monitor: Monitor<I, O>): void {
    if (monitor.overdue) return;
    monitor.inFlight++;
    let request: Promise<I>;
    try {
      request = monitor.target.requestHeartbeat(this.deps.listener.retrievePayload(resourceId));
    } catch (err) {
      request = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    request.then(
      (payload) => {
        monitor.inFlight--;
        if (this.monitors.get(resourceId) === monitor) this.receiveHeartbeat(resourceId, payload);
      },
      (err: unknown) => {
        monitor.inFlight--;
        if (this.monitors.get(resourceId) !== monitor) return;
        if (monitor.overdue && monitor.inFlight === 0) {
          this.timedOut(resourceId);
          return;
        }
        monitor.failedRpcs++;
        this.deps.logger.debug({ targetId: resourceId, err: (err as Error).message, failedRpcs: monitor.failedRpcs }, 'heartbeat request failed');
        const threshold = this.deps.services.rpcFailureThreshold;
        if (threshold > 0 && monitor.failedRpcs >= threshold) {
          this.unmonitorTarget(resourceId);
          this.deps.logger.warn({ targetId: resourceId, failedRpcs: monitor.failedRpcs }, 'heartbeat target unreachable');
          this.deps.listener.notifyTargetUnreachable(resourceId);
        }
      },
    );
  }

  private reportHeartbeat(resourceId: string, monitor: Monitor<I, O>): void {
    monitor.lastHeartbeat = this.deps.clock.now();
    monitor.failedRpcs = 0;
    monitor.overdue = false;
    monitor.cancelTimeout();
    this.scheduleTimeout(resourceId, monitor);
  }

  private scheduleTimeout(resourceId: string, monitor: Monitor<I, O>): void {
    monitor.cancelTimeout = this.deps.clock.schedule(this.deps.services.timeoutMs, () => {
      if (this.monitors.get(resourceId) !== monitor) return;
      if (monitor.inFlight > 0) monitor.overdue = true;
      else this.timedOut(resourceId);
    });
  }

  private timedOut(resourceId: string): void {
    this.unmonitorTarget(resourceId);
    this.deps.logger.warn({ targetId: resourceId, timeoutMs: this.deps.services.timeoutMs }, 'heartbeat target timed out');
    this.deps.listener.notifyHeartbeatTimeout(resourceId);
  }
}
