import type { KeyedProcessFunctionContext, KeyedProcessFunctionOnTimerContext } from '../../api/functions/keyed-process-function.ts';
import type { ProcessFunctionContext, ProcessFunctionOnTimerContext } from '../../api/functions/process-function.ts';
import type { OutputTag } from '../../api/output-tag.ts';
import type { Output } from '../output.ts';
import { NO_TIMESTAMP } from '../stream-element.ts';
import { TimeDomain } from '../time/time-domain.ts';
import type { TimerService } from '../time/timer-service.ts';

/**
 * The context of the process functions (one- and two-input, processElement and onTimer): one object
 * per operator, re-stamped per call, so calling the function allocates nothing. The timestamp is
 * the record's, or the timer's; the timer service refuses timers when the stream was not keyed.
 */
export class ProcessContextImpl implements ProcessFunctionContext, ProcessFunctionOnTimerContext {
  currentTimestamp = NO_TIMESTAMP;
  domain: TimeDomain = TimeDomain.EVENT_TIME;
  private readonly out: Output<unknown>;
  private readonly timers: TimerService;

  constructor(output: Output<unknown>, timers: TimerService) {
    this.out = output;
    this.timers = timers;
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
export class KeyedProcessContextImpl<K> extends ProcessContextImpl implements KeyedProcessFunctionContext<K>, KeyedProcessFunctionOnTimerContext<K> {
  private readonly currentKey: () => K;

  constructor(output: Output<unknown>, timers: TimerService, currentKey: () => K) {
    super(output, timers);
    this.currentKey = currentKey;
  }

  getCurrentKey(): K {
    return this.currentKey();
  }
}
