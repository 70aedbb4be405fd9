import type { Logger } from 'pino';
import { every, type Cancel, type Clock } from '../../rm/common/clock.ts';

export interface HeartbeatManagerOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** `heartbeat.interval`: how often each target is asked for a heartbeat. */
  readonly intervalMs: number;
  /** `heartbeat.timeout`: a target not heard from for this long is dead. */
  readonly timeoutMs: number;
  /** `heartbeat.rpc-failure-threshold`: consecutive failed requests that make a target unreachable; <= 0 disables. */
  readonly rpcFailureThreshold: number;
  /** Called once per target that timed out or became unreachable; the target is no longer monitored. */
  readonly onTargetLost: (targetId: string, cause: string) => void;
}

interface Target {
  readonly request: () => Promise<void>;
  cancelTimeout: Cancel;
  failedRequests: number;
}

/**
 * Flink's HeartbeatManager on the sending side: every interval it asks each monitored target for
 * a heartbeat; every heartbeat received (an answered request, or one the target sent on its own)
 * cancels the target's timeout and schedules a new one `timeoutMs` later.
 */
export class HeartbeatManager {
  private readonly options: HeartbeatManagerOptions;
  private readonly targets = new Map<string, Target>();
  private stopLoop: Cancel | undefined;

  constructor(options: HeartbeatManagerOptions) {
    this.options = options;
  }

  start(): void {
    this.stopLoop ??= every(this.options.clock, this.options.intervalMs, () => this.requestAll());
  }

  stop(): void {
    this.stopLoop?.();
    this.stopLoop = undefined;
    for (const t of this.targets.values()) t.cancelTimeout();
    this.targets.clear();
  }

  /** Starts monitoring; `request` asks the target for a heartbeat and resolves when it answered. */
  monitorTarget(targetId: string, request: () => Promise<void>): void {
    this.targets.get(targetId)?.cancelTimeout();
    const target: Target = { request, cancelTimeout: () => {}, failedRequests: 0 };
    this.targets.set(targetId, target);
    this.scheduleTimeout(targetId, target);
  }

  unmonitorTarget(targetId: string): void {
    this.targets.get(targetId)?.cancelTimeout();
    this.targets.delete(targetId);
  }

  isMonitored(targetId: string): boolean {
    return this.targets.has(targetId);
  }

  receiveHeartbeat(targetId: string): void {
    const target = this.targets.get(targetId);
    if (!target) return;
    target.failedRequests = 0;
    target.cancelTimeout();
    this.scheduleTimeout(targetId, target);
  }

  private scheduleTimeout(targetId: string, target: Target): void {
    target.cancelTimeout = this.options.clock.schedule(this.options.timeoutMs, () => {
      if (this.targets.get(targetId) !== target) return;
      this.lose(targetId, `The heartbeat of TaskManager with id ${targetId} timed out.`);
    });
  }

  private requestAll(): void {
    for (const [id, target] of this.targets) {
      target.request().then(
        () => this.receiveHeartbeat(id),
        (err: unknown) => {
          if (this.targets.get(id) !== target) return;
          target.failedRequests++;
          this.options.logger.debug({ targetId: id, err, failedRequests: target.failedRequests }, 'heartbeat request failed');
          const threshold = this.options.rpcFailureThreshold;
          if (threshold > 0 && target.failedRequests >= threshold) {
            this.lose(id, `TaskManager with id ${id} is no longer reachable (${target.failedRequests} failed heartbeat requests).`);
          }
        },
      );
    }
  }

  private lose(targetId: string, cause: string): void {
    this.unmonitorTarget(targetId);
    this.options.logger.warn({ targetId }, cause);
    this.options.onTargetLost(targetId, cause);
  }
}
