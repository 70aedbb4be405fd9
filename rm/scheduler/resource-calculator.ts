import type { Resource } from '../protocol/records.ts';

/**
 * Resource arithmetic and YARN's two resource calculators. DefaultResourceCalculator (YARN's
 * default) looks at memory only when deciding fit and share, so vcores may be over-committed on
 * a node; DominantResourceCalculator looks at both and orders by the dominant share.
 */
export const NO_RESOURCE: Resource = Object.freeze({ memory: 0, vCores: 0 });

export const resourceOf = (memory: number, vCores: number): Resource => ({ memory, vCores });
export const addResources = (a: Resource, b: Resource): Resource => ({ memory: a.memory + b.memory, vCores: a.vCores + b.vCores });
export const subtractResources = (a: Resource, b: Resource): Resource => ({ memory: a.memory - b.memory, vCores: a.vCores - b.vCores });
export const scaleResource = (r: Resource, f: number): Resource => ({ memory: r.memory * f, vCores: r.vCores * f });
export const minResource = (a: Resource, b: Resource): Resource => ({ memory: Math.min(a.memory, b.memory), vCores: Math.min(a.vCores, b.vCores) });
export const maxResource = (a: Resource, b: Resource): Resource => ({ memory: Math.max(a.memory, b.memory), vCores: Math.max(a.vCores, b.vCores) });
/** Clamps at zero and drops fractions, for values reported on the wire. */
export const wireResource = (r: Resource): Resource => ({ memory: Math.max(0, Math.floor(r.memory)), vCores: Math.max(0, Math.floor(r.vCores)) });

/** YARN's `Resource.toString()`: `<memory:2048, vCores:1>`. */
export const formatResource = (r: Resource): string => `<memory:${Math.round(r.memory)}, vCores:${Math.round(r.vCores)}>`;

export const roundUp = (value: number, step: number): number => (step > 0 ? Math.ceil(value / step) * step : value);

/** Rounds both dimensions up to multiples of `step` (YARN's multiplyAndNormalizeUp after the multiply). */
export const normalizeUp = (r: Resource, step: Resource): Resource => ({ memory: roundUp(r.memory, step.memory), vCores: roundUp(r.vCores, step.vCores) });

export interface ResourceCalculator {
  readonly name: 'default' | 'dominant';
  /** Whether `memory`/`vCores` fit in `availMemory`/`availVCores` in every dimension this calculator counts. */
  fits(memory: number, vCores: number, availMemory: number, availVCores: number): boolean;
  fitsIn(ask: Resource, available: Resource): boolean;
  /** Share of `part` in `whole`: what queues are ordered by and report as used capacity. */
  ratio(part: Resource, whole: Resource): number;
  /** min(roundUp(max(ask, min), step), max) in the dimensions this calculator normalises. */
  normalize(ask: Resource, min: Resource, max: Resource, step: Resource): Resource;
}

const share = (part: number, whole: number): number => (whole > 0 ? part / whole : part > 0 ? Number.POSITIVE_INFINITY : 0);
const normalizeDimension = (req: number, min: number, max: number, step: number): number => Math.min(roundUp(Math.max(req, min), step), max);

export const defaultResourceCalculator: ResourceCalculator = Object.freeze({
  name: 'default' as const,
  fits: (memory: number, _vCores: number, availMemory: number, _availVCores: number) => memory <= availMemory,
  fitsIn: (ask: Resource, available: Resource) => ask.memory <= available.memory,
  ratio: (part: Resource, whole: Resource) => share(part.memory, whole.memory),
  // Only memory is normalised by YARN's default calculator; vcores are raised to the minimum so
  // that a zero-vcore ask still occupies a core in reports.
  normalize: (ask: Resource, min: Resource, max: Resource, step: Resource) => ({
    memory: normalizeDimension(ask.memory, min.memory, max.memory, step.memory),
    vCores: Math.min(Math.max(ask.vCores, min.vCores), max.vCores),
  }),
});

export const dominantResourceCalculator: ResourceCalculator = Object.freeze({
  name: 'dominant' as const,
  fits: (memory: number, vCores: number, availMemory: number, availVCores: number) => memory <= availMemory && vCores <= availVCores,
  fitsIn: (ask: Resource, available: Resource) => ask.memory <= available.memory && ask.vCores <= available.vCores,
  ratio: (part: Resource, whole: Resource) => Math.max(share(part.memory, whole.memory), share(part.vCores, whole.vCores)),
  normalize: (ask: Resource, min: Resource, max: Resource, step: Resource) => ({
    memory: normalizeDimension(ask.memory, min.memory, max.memory, step.memory),
    vCores: normalizeDimension(ask.vCores, min.vCores, max.vCores, step.vCores),
  }),
});

/**
 * Accepts `default`/`dominant` or YARN's class names (full or short), as found in
 * `yarn.scheduler.capacity.resource-calculator`.
 */
export function resourceCalculatorFor(name: string | undefined): ResourceCalculator {
  const n = (name ?? 'default').trim().toLowerCase();
  if (n === 'dominant' || n.endsWith('dominantresourcecalculator')) return dominantResourceCalculator;
  if (n === '' || n === 'default' || n.endsWith('defaultresourcecalculator')) return defaultResourceCalculator;
  throw new Error(
    `yarn.scheduler.capacity.resource-calculator: unknown resource calculator '${name}' ` +
      '(use org.apache.hadoop.yarn.util.resource.DefaultResourceCalculator or DominantResourceCalculator)',
  );
}

/**
 * SchedulerUtils.validateResourceRequest: an ask below zero or above the maximum allocation is
 * refused (not capped). Returns YARN's message, or undefined when the ask is valid.
 */
export function validateRequest(capability: Resource, maxAllocation: Resource): string | undefined {
  if (capability.memory < 0 || capability.memory > maxAllocation.memory) {
    return (
      'Invalid resource request, requested memory < 0, or requested memory > max configured, ' +
      `requestedMemory=${capability.memory}, maxMemory=${maxAllocation.memory}`
    );
  }
  if (capability.vCores < 0 || capability.vCores > maxAllocation.vCores) {
    return (
      'Invalid resource request, requested virtual cores < 0, or requested virtual cores > max configured, ' +
      `requestedVirtualCores=${capability.vCores}, maxVirtualCores=${maxAllocation.vCores}`
    );
  }
  return undefined;
}
