/**
 * Flink's StateDescriptor: a state's name, kind and default. Keyed state is looked up by it, and a
 * name registered twice with another kind is refused (the checkpoint layer writes by name).
 */
export type StateKind = 'value';

export class ValueStateDescriptor<T> {
  readonly kind = 'value' as const;
  readonly name: string;
  /** What value() returns for a key without a value (Flink's deprecated default value). */
  readonly defaultValue: T | undefined;

  constructor(name: string, defaultValue?: T) {
    if (typeof name !== 'string' || name.length === 0) throw new Error('A state descriptor needs a non-empty name');
    this.name = name;
    this.defaultValue = defaultValue;
  }
}

export type StateDescriptor<T> = ValueStateDescriptor<T>;
