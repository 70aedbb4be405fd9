import { every, type Cancel, type Clock } from '../../rm/common/clock.ts';
import type { SlotReport } from '../protocol/records.ts';
import type { TaskExecutorClientFactory } from './task-executor-client.ts';
import type { WorkerRegistration, TaskManagerRegistry } from './task-manager-registry.ts';

export interface TaskManagerHeartbeatsDeps {
  readonly clock: Clock;
  readonly registry: TaskManagerRegistry;
  readonly taskExecutors: TaskExecutorClientFactory;
  readonly resourceManagerId: string;
  /** `heartbeat.interval`, `heartbeat.timeout`, `heartbeat.rpc-failure-threshold` (<= 0 disables it). */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly rpcFailureThreshold: number;
  /** A TaskManager answered with its slot report. */
  readonly onReport: (tm: WorkerRegistration, report: SlotReport) => void;
  /** A TaskManager was silent for the timeout, or failed the threshold of heartbeat RPCs in a row. */
  readonly onDead: (resourceId: string, cause: string) => void;
}

/**
 * The ResourceManager's side of the RM<->TaskExecutor heartbeat (flink.md §1.5): every interval it
 * asks each TaskManager for its slot report; a TaskManager heard from neither by an answer nor by
 * its own heartbeat for `heartbeat.timeout`, or unreachable for `rpc-failure-threshold` requests
 * in a row, is declared dead.
 */
export class TaskManagerHeartbeats {
  private readonly deps: TaskManagerHeartbeatsDeps;
  private cancel: Cancel | undefined;

  constructor(deps: TaskManagerHeartbeatsDeps) {
    this.deps = deps;
  }

  start(): void {
    this.cancel ??= every(this.deps.clock, this.deps.intervalMs, () => this.round());
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** A sign of life from the TaskManager itself (its heartbeat call). */
  received(tm: WorkerRegistration): void {
    tm.lastHeartbeat = this.deps.clock.now();
    tm.failedHeartbeatRpcs = 0;
  }

  private round(): void {
    const { clock, registry, timeoutMs } = this.deps;
    const now = clock.now();
    for (const tm of registry.all()) {
      if (now - tm.lastHeartbeat > timeoutMs) {
        this.deps.onDead(tm.resourceId, `The heartbeat of TaskManager with id ${tm.resourceId} timed out.`);
        continue;
      }
      this.requestReport(tm);
    }
  }

  /** One heartbeat request to one TaskManager; its answer carries the slot report. */
  requestReport(tm: WorkerRegistration): void {
    const { registry, rpcFailureThreshold } = this.deps;
    const { resourceId, instanceId } = tm;
    this.deps
      .taskExecutors(tm.registration.location.address)
      .heartbeatFromResourceManager({ body: { resourceManagerId: this.deps.resourceManagerId } })
      .then(
        ({ slotReport }) => {
          const current = registry.getCurrent(resourceId, instanceId);
          if (!current) return;
          this.received(current);
          this.deps.onReport(current, slotReport);
        },
        () => {
          const current = registry.getCurrent(resourceId, instanceId);
          if (!current) return;
          current.failedHeartbeatRpcs++;
          if (rpcFailureThreshold > 0 && current.failedHeartbeatRpcs >= rpcFailureThreshold) {
            this.deps.onDead(resourceId, `TaskManager with id ${resourceId} is no longer reachable.`);
          }
        },
      );
  }
}
