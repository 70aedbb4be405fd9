import type { Resource } from '../protocol/records.ts';
import { CapacityScheduler } from './capacity/capacity-scheduler.ts';
import { FifoScheduler } from './fifo/fifo-scheduler.ts';
import { resourceCalculatorFor, type ResourceCalculator } from './resource-calculator.ts';
import type { Scheduler } from './scheduler.ts';

export interface CreateSchedulerOptions {
  readonly type: 'capacity' | 'fifo';
  /** `yarn.scheduler.capacity.*` properties (ignored by FIFO). */
  readonly conf: ReadonlyMap<string, string>;
  readonly aclEnable: boolean;
  readonly minimumAllocation: Resource;
  readonly maximumAllocation: Resource;
  /** `default`, `dominant`, a YARN calculator class name, or a calculator. */
  readonly resourceCalculator?: string | ResourceCalculator;
  readonly groupsOf?: (user: string) => readonly string[];
}

/** Builds the configured scheduler; a bad capacity-scheduler configuration throws, naming the queue. */
export function createScheduler(opts: CreateSchedulerOptions): Scheduler {
  const calc =
    typeof opts.resourceCalculator === 'object'
      ? opts.resourceCalculator
      : resourceCalculatorFor(opts.resourceCalculator ?? opts.conf.get('yarn.scheduler.capacity.resource-calculator'));
  if (opts.type === 'fifo') {
    return new FifoScheduler({ minimumAllocation: opts.minimumAllocation, maximumAllocation: opts.maximumAllocation, resourceCalculator: calc });
  }
  return new CapacityScheduler({
    conf: opts.conf,
    aclEnable: opts.aclEnable,
    minimumAllocation: opts.minimumAllocation,
    maximumAllocation: opts.maximumAllocation,
    resourceCalculator: calc,
    ...(opts.groupsOf ? { groupsOf: opts.groupsOf } : {}),
  });
}
