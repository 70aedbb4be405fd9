import type { ReduceFunction } from '../streaming/functions.ts';

/**
 * sum / min / max on a KeyedStream as reduce functions, after Flink's SumAggregator and
 * ComparableAggregator: without a field the records themselves are numbers; with a field (an
 * object key, or an index for array "tuples") only that field is aggregated and the other fields
 * keep the values of the first record seen for the key. A copy is emitted, never the state itself.
 */
export type AggregationField = string | number;

export function sumAggregation<T>(field?: AggregationField): ReduceFunction<T> {
  return fieldAggregation<T>('sum', field, (a, b) => a + b);
}

export function minAggregation<T>(field?: AggregationField): ReduceFunction<T> {
  return fieldAggregation<T>('min', field, (a, b) => (b < a ? b : a));
}

export function maxAggregation<T>(field?: AggregationField): ReduceFunction<T> {
  return fieldAggregation<T>('max', field, (a, b) => (b > a ? b : a));
}

function fieldAggregation<T>(what: string, field: AggregationField | undefined, combine: (a: number, b: number) => number): ReduceFunction<T> {
  if (field === undefined) {
    return (acc, value) => combine(numeric(what, undefined, acc), numeric(what, undefined, value)) as T;
  }
  return (acc, value) => {
    const base = acc as Record<AggregationField, unknown>;
    const next = (Array.isArray(base) ? base.slice() : { ...base }) as Record<AggregationField, unknown>;
    next[field] = combine(numeric(what, field, base[field]), numeric(what, field, (value as Record<AggregationField, unknown>)[field]));
    return next as T;
  };
}

function numeric(what: string, field: AggregationField | undefined, value: unknown): number {
  if (typeof value === 'number') return value;
  const target = field === undefined ? 'records' : `field '${String(field)}'`;
  throw new Error(`${what}(${field === undefined ? '' : JSON.stringify(field)}) needs numeric ${target}, got ${JSON.stringify(value)}`);
}
