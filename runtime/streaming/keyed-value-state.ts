/**
 * Flink's ValueState: one value per key, scoped to the key of the record being processed (and to
 * a namespace, e.g. a window). The heap backend in runtime/state/ implements it.
 */
export interface ValueState<S> {
  value(): S | undefined;
  update(value: S): void;
  clear(): void;
}
