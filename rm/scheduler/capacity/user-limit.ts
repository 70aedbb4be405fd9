import type { Resource } from '../../protocol/records.ts';
import type { ResourceCalculator } from '../resource-calculator.ts';

export interface UserLimitInput {
  readonly calc: ResourceCalculator;
  /** The queue's guaranteed resources (absolute capacity × cluster). */
  readonly queueCapacity: Resource;
  /** The queue's absolute maximum capacity × cluster. */
  readonly queueMax: Resource;
  readonly queueUsed: Resource;
  /** The container being considered (none when computing headroom). */
  readonly required: Resource;
  readonly activeUsers: number;
  /** minimum-user-limit-percent. */
  readonly userLimitPercent: number;
  /** -1 disables the cap. */
  readonly userLimitFactor: number;
  readonly minimumAllocation: Resource;
}

const roundUp = (v: number, step: number): number => (step > 0 ? Math.ceil(v / step) * step : v);

/**
 * LeafQueue.computeUserLimit: while the queue is under its guarantee users share the guarantee;
 * once over it the queue grows by the container at hand, so users can keep growing into idle
 * capacity. Each user gets max(equal share, minimum-user-limit-percent), capped at
 * user-limit-factor × guarantee (or the queue maximum when the factor is -1).
 *
 * YARN checks `user used > limit` before adding the container, so a user may end one container
 * past the limit; weft checks that used + container fits the limit instead (so "50%" means at most
 * 50%), and to keep a container that straddles the guarantee from never fitting, "under the
 * guarantee" means the queue stays within it *with* the container.
 * Writes into `out` when given: this runs once per placement attempt.
 */
export function computeUserLimit(p: UserLimitInput, out: Resource = { memory: 0, vCores: 0 }): Resource {
  const under = p.calc.fits(
    p.queueUsed.memory + p.required.memory,
    p.queueUsed.vCores + p.required.vCores,
    p.queueCapacity.memory,
    p.queueCapacity.vCores,
  );
  const currentMemory = under ? p.queueCapacity.memory : p.queueUsed.memory + p.required.memory;
  const currentVCores = under ? p.queueCapacity.vCores : p.queueUsed.vCores + p.required.vCores;
  const share = Math.max(1 / Math.max(1, p.activeUsers), p.userLimitPercent / 100);
  const factor = p.userLimitFactor === -1 ? Number.POSITIVE_INFINITY : p.userLimitFactor;
  out.memory = Math.min(roundUp(currentMemory * share, p.minimumAllocation.memory), p.queueCapacity.memory * factor, p.queueMax.memory);
  out.vCores = Math.min(roundUp(currentVCores * share, p.minimumAllocation.vCores), p.queueCapacity.vCores * factor, p.queueMax.vCores);
  return out;
}
