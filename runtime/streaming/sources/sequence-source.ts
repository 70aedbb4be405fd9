import { END_OF_INPUT, NO_TIMESTAMP } from '../stream-element.ts';
import { AbstractSourceOperator } from '../stream-operator.ts';

/**
 * fromSequence(from, to): the numbers from..to inclusive, split into one contiguous range per
 * subtask like Flink's NumberSequenceSource splits.
 */
export class SequenceSource extends AbstractSourceOperator<number> {
  private readonly from: number;
  private readonly to: number;
  private next = 0;
  private last = -1;

  constructor(from: number, to: number) {
    super();
    this.from = from;
    this.to = to;
  }

  override open(): void {
    const { parallelism, subtaskIndex } = this.context;
    const count = Math.max(0, this.to - this.from + 1);
    this.next = this.from + Math.floor((subtaskIndex * count) / parallelism);
    this.last = this.from + Math.floor(((subtaskIndex + 1) * count) / parallelism) - 1;
  }

  emitNext(max: number): number {
    if (this.next > this.last) return END_OF_INPUT;
    const output = this.output;
    const end = Math.min(this.last, this.next + max - 1);
    let n = this.next;
    for (; n <= end; n++) output.collect(n, NO_TIMESTAMP);
    const emitted = n - this.next;
    this.next = n;
    return emitted;
  }
}
