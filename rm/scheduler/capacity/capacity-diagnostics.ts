import type { Resource } from '../../protocol/records.ts';
import { formatResource } from '../resource-calculator.ts';
import { CS_PREFIX } from './capacity-queue.ts';

export interface AmLimitDetails {
  readonly request: Resource;
  readonly amLimit: Resource;
  readonly userAmLimit: Resource;
  readonly amUsed: Resource;
}

/** The " Details : ..." tail YARN appends to every AM-state diagnostic. */
export function amDetails(d: AmLimitDetails): string {
  return (
    ` Details : AM Partition = <DEFAULT_PARTITION>; AM Resource Request = ${formatResource(d.request)}; ` +
    `Queue Resource Limit for AM = ${formatResource(d.amLimit)}; ` +
    `User AM Resource Limit of the queue = ${formatResource(d.userAmLimit)}; ` +
    `Queue AM Resource Usage = ${formatResource(d.amUsed)};`
  );
}

export function amLimitExceeded(queuePath: string, percent: number, userLevel: boolean): string {
  const what = userLevel ? "User's AM resource limit exceeded." : "Queue's AM resource limit exceeded.";
  return (
    `${what} The application starts when running applications of queue ${queuePath} finish, or raise ` +
    `${CS_PREFIX}${queuePath}.maximum-am-resource-percent (now ${percent}) or ${CS_PREFIX}maximum-am-resource-percent.`
  );
}

export function queueAtMaxCapacity(queuePath: string, used: Resource, max: Resource, absoluteMaxCapacity: number): string {
  return (
    `Queue ${queuePath} is at its maximum capacity: used ${formatResource(used)} of ${formatResource(max)} ` +
    `(absoluteMaxCapacity ${round(absoluteMaxCapacity * 100)}%). Raise ${CS_PREFIX}${queuePath}.maximum-capacity or wait for its containers to finish.`
  );
}

export function userLimitReached(user: string, queuePath: string, used: Resource, limit: Resource): string {
  return (
    `User ${user} reached the user limit of queue ${queuePath}: used ${formatResource(used)}, limit ${formatResource(limit)}. ` +
    `Raise ${CS_PREFIX}${queuePath}.user-limit-factor or .minimum-user-limit-percent, or wait for other users' demand to drop.`
  );
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
