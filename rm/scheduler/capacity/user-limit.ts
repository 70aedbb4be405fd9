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

/**
 * LeafQueue.computeUserLimit: while the queue is under its guarantee users share the guarantee;
 * once over it the queue grows by the container at hand, so users can keep growing into idle
 * capacity. Each user gets max(equal share, minimum-user-limit-percent), capped at
 * user-limit-factor × guarantee (or the queue maximum when the factor is -1).
 */
export function computeUserLimit(p: UserLimitInput): Resource {
  const under = p.calc.ratio(p.queueUsed, p.queueCapacity) < 1;
  const current: Resource = under
    ? p.queueCapacity
    : { memory: p.queueUsed.memory + p.required.memory, vCores: p.queueUsed.vCores + p.required.vCores };
  const users = Math.max(1, p.activeUsers);
  const share = Math.max(1 / users, p.userLimitPercent / 100);
  const roundUp = (v: number, step: number): number => (step > 0 ? Math.ceil(v / step) * step : v);
  const factor = p.userLimitFactor === -1 ? Number.POSITIVE_INFINITY : p.userLimitFactor;
  const cap = (dim: 'memory' | 'vCores'): number => Math.min(p.queueCapacity[dim] * factor, p.queueMax[dim]);
  return {
    memory: Math.min(roundUp(current.memory * share, p.minimumAllocation.memory), cap('memory')),
    vCores: Math.min(roundUp(current.vCores * share, p.minimumAllocation.vCores), cap('vCores')),
  };
}
