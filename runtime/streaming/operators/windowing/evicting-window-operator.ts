import type { Evictor, EvictorContext, TimestampedValue } from '../../windowing/evictors/evictor.ts';
import type { WindowContents } from '../../windowing/window-contents.ts';
import type { Window } from '../../windowing/window.ts';
import { WindowOperator, type WindowOperatorSpec } from './window-operator.ts';

/** Every element with its timestamp, in arrival order: what evictors look at. */
export function timestampedListContents<T>(): WindowContents<T, TimestampedValue<T>[], T> {
  return {
    stateName: 'window-contents',
    add: (contents, value, timestamp) => {
      const element = { value, timestamp };
      if (contents === undefined) return [element];
      contents.push(element);
      return contents;
    },
    merge: (a, b) => a.concat(b),
    elements: (contents) => contents.map((e) => e.value),
  };
}

export type EvictingWindowOperatorSpec<IN, K, W extends Window, OUT> = Omit<WindowOperatorSpec<IN, K, W, TimestampedValue<IN>[], IN, OUT>, 'contents'> & {
  readonly evictor: Evictor<IN, W>;
};

/**
 * A WindowOperator that keeps all elements and lets an evictor remove some before and/or after
 * the window function runs (Flink's EvictingWindowOperator); what the evictor leaves stays in the
 * window for its next firing.
 */
export class EvictingWindowOperator<IN, K, W extends Window, OUT> extends WindowOperator<IN, K, W, TimestampedValue<IN>[], IN, OUT> {
  private readonly evictor: Evictor<IN, W>;
  private readonly evictorContext: EvictorContext = {
    getCurrentProcessingTime: () => this.timerService.currentProcessingTime(),
    getCurrentWatermark: () => this.timerService.currentWatermark(),
  };

  constructor(spec: EvictingWindowOperatorSpec<IN, K, W, OUT>) {
    super({ ...spec, contents: timestampedListContents<IN>() });
    this.evictor = spec.evictor;
  }

  protected override emitWindowContents(key: K, window: W, contents: TimestampedValue<IN>[]): void {
    this.evictor.evictBefore(contents, contents.length, window, this.evictorContext);
    super.emitWindowContents(key, window, contents);
    this.evictor.evictAfter(contents, contents.length, window, this.evictorContext);
    // The buffer was spliced in place; an emptied one goes, as Flink's list state drops an empty list.
    if (contents.length === 0) this.windowState.clear();
    else this.windowState.update(contents);
  }
}
