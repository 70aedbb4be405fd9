/** Flink's ValueState: one value per key, scoped to the key of the record being processed. */
export interface ValueState<S> {
  value(): S | undefined;
  update(value: S): void;
  clear(): void;
}

/**
 * Per-key values on the heap, the role of Flink's HeapKeyedStateBackend for now. Keys that are
 * objects or arrays are stored by their JSON text, so equal composite keys share state.
 * TODO(state backends): group by key group so checkpoints can be written and rescaled by range.
 */
export class HeapValueState<S> implements ValueState<S> {
  private readonly values = new Map<unknown, S>();
  private currentKey: unknown = undefined;

  setCurrentKey(key: unknown): void {
    this.currentKey = typeof key === 'object' && key !== null ? JSON.stringify(key) : key;
  }

  value(): S | undefined {
    return this.values.get(this.currentKey);
  }

  update(value: S): void {
    this.values.set(this.currentKey, value);
  }

  clear(): void {
    this.values.delete(this.currentKey);
  }

  /** Number of keys with a value. */
  get size(): number {
    return this.values.size;
  }
}
