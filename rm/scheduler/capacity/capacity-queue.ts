import { ACL_EVERYONE, ACL_NO_ONE, parseQueueAcl, type QueueAcl } from './queue-acl.ts';

/** `yarn.scheduler.capacity.` — every CapacityScheduler key starts with it. */
export const CS_PREFIX = 'yarn.scheduler.capacity.';

export const QueueState = { RUNNING: 'RUNNING', STOPPED: 'STOPPED' } as const;
export type QueueState = (typeof QueueState)[keyof typeof QueueState];

/**
 * One configured queue of the CapacityScheduler's tree. Capacities are fractions (0..1); the
 * REST view multiplies them by 100.
 */
export interface CapacityQueue {
  /** Full path, e.g. `root.a.a1`. */
  readonly path: string;
  /** Last path element, e.g. `a1`. */
  readonly name: string;
  readonly parent: CapacityQueue | undefined;
  readonly children: readonly CapacityQueue[];
  readonly isLeaf: boolean;
  /** Of the parent. */
  readonly capacity: number;
  readonly maxCapacity: number;
  /** Of the cluster. */
  readonly absoluteCapacity: number;
  readonly absoluteMaxCapacity: number;
  /** Effective state: a queue under a STOPPED parent is STOPPED too. */
  readonly state: QueueState;
  readonly submitAcl: QueueAcl;
  readonly adminAcl: QueueAcl;
  readonly maxAmResourcePercent: number;
  /** minimum-user-limit-percent, 1..100. */
  readonly userLimit: number;
  /** -1 disables the cap. */
  readonly userLimitFactor: number;
  readonly maxApplications: number;
}

interface MutableQueue extends CapacityQueue {
  children: MutableQueue[];
}

const CAPACITY_TOLERANCE = 0.001;

/**
 * Builds and validates the queue tree from `yarn.scheduler.capacity.*` properties, as
 * CapacitySchedulerConfiguration reads them. Any inconsistency throws, naming the queue and key.
 */
export function buildQueueTree(conf: ReadonlyMap<string, string>): CapacityQueue {
  const get = (key: string): string | undefined => conf.get(CS_PREFIX + key);
  const number = (key: string, fallback: number): number => {
    const raw = get(key)?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      const hint = /w$|\[/.test(raw) ? ' (weight and absolute capacities are not supported; use a percentage)' : '';
      throw new Error(`${CS_PREFIX}${key}: '${raw}' is not a number${hint}`);
    }
    return value;
  };

  const globalAmPercent = number('maximum-am-resource-percent', 0.1);
  const globalMaxApps = number('maximum-applications', 10_000);
  const hasQueues = conf.has(`${CS_PREFIX}root.queues`);

  const build = (path: string, parent: MutableQueue | undefined): MutableQueue => {
    const name = path.slice(path.lastIndexOf('.') + 1);
    const childNames = hasQueues ? (get(`${path}.queues`) ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0) : path === 'root' ? ['default'] : [];
    const isRoot = parent === undefined;
    const capacity = isRoot ? 100 : number(`${path}.capacity`, !hasQueues && path === 'root.default' ? 100 : 0);
    const rawMax = isRoot ? 100 : number(`${path}.maximum-capacity`, 100);
    const maxCapacity = rawMax === -1 ? 100 : rawMax;
    if (capacity < 0 || capacity > 100) throw new Error(`Illegal capacity of ${capacity} for queue ${path} (${CS_PREFIX}${path}.capacity must be 0..100)`);
    if (maxCapacity < 0 || maxCapacity > 100) {
      throw new Error(`Illegal maximum-capacity of ${rawMax} for queue ${path} (${CS_PREFIX}${path}.maximum-capacity must be 0..100, or -1 for 100)`);
    }
    if (capacity > maxCapacity + CAPACITY_TOLERANCE) {
      throw new Error(
        `Illegal queue capacity setting for queue ${path}: capacity (${capacity}) > maximum-capacity (${maxCapacity}); ` +
          `raise ${CS_PREFIX}${path}.maximum-capacity or lower ${CS_PREFIX}${path}.capacity`,
      );
    }
    const rawState = (get(`${path}.state`) ?? QueueState.RUNNING).trim().toUpperCase();
    if (rawState !== QueueState.RUNNING && rawState !== QueueState.STOPPED) {
      throw new Error(`${CS_PREFIX}${path}.state: '${rawState}' is not RUNNING or STOPPED`);
    }
    const userLimit = number(`${path}.minimum-user-limit-percent`, 100);
    if (userLimit <= 0 || userLimit > 100) throw new Error(`${CS_PREFIX}${path}.minimum-user-limit-percent must be 1..100, got ${userLimit}`);
    const userLimitFactor = number(`${path}.user-limit-factor`, 1);
    if (userLimitFactor <= 0 && userLimitFactor !== -1) throw new Error(`${CS_PREFIX}${path}.user-limit-factor must be positive or -1, got ${userLimitFactor}`);
    const maxAmResourcePercent = number(`${path}.maximum-am-resource-percent`, globalAmPercent);
    if (maxAmResourcePercent < 0 || maxAmResourcePercent > 1) {
      throw new Error(`${CS_PREFIX}${path}.maximum-am-resource-percent must be 0..1 (a fraction, 0.1 = 10%), got ${maxAmResourcePercent}`);
    }
    const absoluteCapacity = (parent?.absoluteCapacity ?? 1) * (capacity / 100);
    const absoluteMaxCapacity = (parent?.absoluteMaxCapacity ?? 1) * (maxCapacity / 100);
    const acl = (kind: string): QueueAcl => {
      const raw = get(`${path}.${kind}`);
      if (raw === undefined) return isRoot ? ACL_EVERYONE : ACL_NO_ONE;
      return parseQueueAcl(raw);
    };
    const queue: MutableQueue = {
      path,
      name,
      parent,
      children: [],
      isLeaf: childNames.length === 0,
      capacity: capacity / 100,
      maxCapacity: maxCapacity / 100,
      absoluteCapacity,
      absoluteMaxCapacity,
      state: parent?.state === QueueState.STOPPED ? QueueState.STOPPED : rawState,
      submitAcl: acl('acl_submit_applications'),
      adminAcl: acl('acl_administer_queue'),
      maxAmResourcePercent,
      userLimit,
      userLimitFactor,
      maxApplications: Math.floor(number(`${path}.maximum-applications`, Math.floor(globalMaxApps * absoluteCapacity))),
    };
    const seen = new Set<string>();
    for (const child of childNames) {
      if (child.includes('.') || seen.has(child)) throw new Error(`${CS_PREFIX}${path}.queues: illegal or duplicate queue name '${child}'`);
      seen.add(child);
      queue.children.push(build(`${path}.${child}`, queue));
    }
    if (queue.children.length > 0) {
      const sum = queue.children.reduce((s, c) => s + c.capacity * 100, 0);
      if (Math.abs(sum - 100) > CAPACITY_TOLERANCE) {
        throw new Error(
          `Illegal capacity of ${round(sum)} for children of queue ${path}: the capacities of ` +
            `${queue.children.map((c) => `${c.path} (${round(c.capacity * 100)})`).join(', ')} must sum to 100`,
        );
      }
    }
    return queue;
  };
  return build('root', undefined);
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

export function allQueues(root: CapacityQueue): CapacityQueue[] {
  const out: CapacityQueue[] = [];
  const walk = (q: CapacityQueue): void => {
    out.push(q);
    q.children.forEach(walk);
  };
  walk(root);
  return out;
}
