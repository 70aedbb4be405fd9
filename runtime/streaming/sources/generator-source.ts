import { END_OF_INPUT, NO_TIMESTAMP } from '../stream-element.ts';
import { AbstractSourceOperator } from '../stream-operator.ts';

export interface GeneratorSpec<T> {
  /** Records per second for the whole source (split evenly across subtasks); unlimited if unset. */
  readonly rate?: number;
  /** Total number of records; unbounded if unset. */
  readonly bounded?: number;
  /** Builds record number `index` (0-based, unique across subtasks). */
  readonly generate: (index: number) => T;
}

/**
 * fromGenerator(): Flink's DataGeneratorSource. Subtask i of p produces indices i, i+p, i+2p, ...,
 * below `bounded` if set. With a rate, record k of a subtask is due k/(rate/p) seconds after open.
 */
export class GeneratorSource<T> extends AbstractSourceOperator<T> {
  private readonly spec: GeneratorSpec<T>;
  private index = 0;
  private step = 1;
  private emitted = 0;
  private startedAt = 0;
  private ratePerMs = 0;

  constructor(spec: GeneratorSpec<T>) {
    super();
    this.spec = spec;
  }

  override open(): void {
    this.index = this.context.subtaskIndex;
    this.step = this.context.parallelism;
    this.startedAt = this.context.services.clock.now();
    this.ratePerMs = this.spec.rate !== undefined && this.spec.rate > 0 ? this.spec.rate / this.step / 1000 : 0;
  }

  emitNext(max: number): number {
    const bounded = this.spec.bounded;
    if (bounded !== undefined && this.index >= bounded) return END_OF_INPUT;
    let allowed = max;
    if (this.ratePerMs > 0) {
      const due = Math.floor((this.context.services.clock.now() - this.startedAt) * this.ratePerMs) + 1 - this.emitted;
      if (due <= 0) return 0;
      allowed = Math.min(max, due);
    }
    const { generate } = this.spec;
    const output = this.output;
    const limit = bounded ?? Number.MAX_SAFE_INTEGER;
    let n = 0;
    while (n < allowed && this.index < limit) {
      output.collect(generate(this.index), NO_TIMESTAMP);
      this.index += this.step;
      n++;
    }
    this.emitted += n;
    return n;
  }

  override nextDelayMs(): number {
    if (this.ratePerMs === 0) return 0;
    const dueAt = this.startedAt + this.emitted / this.ratePerMs;
    return Math.max(1, Math.ceil(dueAt - this.context.services.clock.now()));
  }
}
