/**
 * Names a side output of an operator (Flink's OutputTag): a process function emits to it with
 * `ctx.output(tag, value)` and `stream.getSideOutput(tag)` reads it. Two tags are the same side
 * output when their ids are equal, as in Flink, so a tag may be rebuilt in another process.
 */
export class OutputTag<T> {
  readonly id: string;
  /** Phantom: carries T so getSideOutput(tag) is typed; never set. */
  declare readonly __type?: T;

  constructor(id: string) {
    if (typeof id !== 'string' || id.length === 0) throw new Error('OutputTag id must not be empty.');
    this.id = id;
  }

  equals(other: OutputTag<unknown>): boolean {
    return other.id === this.id;
  }

  toString(): string {
    return `OutputTag(${this.id})`;
  }
}
