import type { KeyedProcessFunctionContext, KeyedProcessFunctionOnTimerContext } from '../../api/functions/keyed-process-function.ts';
import type { ProcessFunctionContext, ProcessFunctionOnTimerContext } from '../../api/functions/process-function.ts';
import type { OutputTag } from '../../api/output-tag.ts';
import type { Output } from '../output.ts';
import { TimestampedCollector } from '../timestamped-collector.ts';
import { NO_TIMESTAMP } from '../stream-element.ts';
import { TimeDomain } from '../time/time-domain.ts';
import type { TimerService } from '../time/timer-service.ts';

/**
 * The context of the process functions (one- and two-input, processElement and onTimer): one object
 * per operator, re-stamped per call, so calling the function allocates nothing. The timestamp is
 * the record's, or the timer's; the timer service refuses timers when the stream was not keyed.
 * The collector the function emits to is stamped with the context.
 */
export class ProcessContextImpl<O = unknown> implements ProcessFunctionContext, ProcessFunctionOnTimerContext {
  currentTimestamp = NO_TIMESTAMP;
  domain: TimeDomain = TimeDomain.EVENT_TIME;
  readonly collector: TimestampedCollector<O>;
  private readonly out: Output<O>;
  private readonly timers: TimerService;

  constructor(output: Output<O>, timers: TimerService) {
    this.out = output;
    this.timers = timers;
    this.collector = new TimestampedCollector(output, NO_TIMESTAMP);
  }

  /** Stamps a record's call: what the function emits carries the record's timestamp. */
  element(timestamp: number): void {
    this.currentTimestamp = timestamp;
    this.collector.timestamp = timestamp;
  }

  /**
   * Stamps a firing timer's call: what onTimer emits carries the timer's timestamp in event time;
   * Flink erases it for a processing-time timer, which is not event time.
   */
  timer(domain: TimeDomain, timestamp: number): void {
    this.domain = domain;
    this.currentTimestamp = timestamp;
    this.collector.timestamp = domain === TimeDomain.EVENT_TIME ? timestamp : NO_TIMESTAMP;
  }

  timestamp(): number | null {
    return this.currentTimestamp === NO_TIMESTAMP ? null : this.currentTimestamp;
  }

  timerService(): TimerService {
    return this.timers;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSideOutput(tag, value, this.currentTimestamp);
  }

  timeDomain(): TimeDomain {
    return this.domain;
  }
}

/** On a keyed stream the context adds the current key: the record's, or the timer's (the backend's current key). */
export class KeyedProcessContextImpl<K, O = unknown> extends ProcessContextImpl<O> implements KeyedProcessFunctionContext<K>, KeyedProcessFunctionOnTimerContext<K> {
  private readonly currentKey: () => K;

  constructor(output: Output<O>, timers: TimerService, currentKey: () => K) {
    super(output, timers);
    this.currentKey = currentKey;
  }

  getCurrentKey(): K {
    return this.currentKey();
  }
}
