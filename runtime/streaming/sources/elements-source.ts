import { END_OF_INPUT, NO_TIMESTAMP } from '../stream-element.ts';
import { AbstractSourceOperator } from '../stream-operator.ts';

/** fromElements(...xs): the given values in order; a non-parallel source, as in Flink. */
export class ElementsSource<T> extends AbstractSourceOperator<T> {
  private readonly elements: readonly T[];
  private index = 0;

  constructor(elements: readonly T[]) {
    super();
    this.elements = elements;
  }

  override open(): void {
    // Should the source ever run with parallelism > 1, subtask i takes every p-th element.
    this.index = this.context.subtaskIndex;
  }

  emitNext(max: number): number {
    const { elements, output } = this;
    const step = this.context.parallelism;
    if (this.index >= elements.length) return END_OF_INPUT;
    let emitted = 0;
    while (emitted < max && this.index < elements.length) {
      output.collect(elements[this.index] as T, NO_TIMESTAMP);
      this.index += step;
      emitted++;
    }
    return emitted;
  }
}
