import { describe, expect, it } from 'vitest';
import { TimeWindow } from '../../../../../runtime/streaming/windowing/time-window.ts';
import { ContinuousEventTimeTrigger } from '../../../../../runtime/streaming/windowing/triggers/continuous-event-time-trigger.ts';
import { CountTrigger } from '../../../../../runtime/streaming/windowing/triggers/count-trigger.ts';
import { EventTimeTrigger } from '../../../../../runtime/streaming/windowing/triggers/event-time-trigger.ts';
import { ProcessingTimeTrigger } from '../../../../../runtime/streaming/windowing/triggers/processing-time-trigger.ts';
import { PurgingTrigger } from '../../../../../runtime/streaming/windowing/triggers/purging-trigger.ts';
import { TriggerResult } from '../../../../../runtime/streaming/windowing/triggers/trigger-result.ts';
import { FakeTriggerContext } from './fake-trigger-context.ts';

const w = new TimeWindow(0, 5000);

describe('EventTimeTrigger', () => {
  it('registers a timer at maxTimestamp and fires on it', () => {
    const t = EventTimeTrigger.create();
    const ctx = new FakeTriggerContext().forWindow(w);
    expect(t.onElement('a', 10, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect([...ctx.eventTimers]).toEqual(['0:5000@4999']);
    expect(t.onEventTime(4998, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect(t.onEventTime(4999, w, ctx)).toBe(TriggerResult.FIRE);
    expect(t.onProcessingTime(0, w, ctx)).toBe(TriggerResult.CONTINUE);
    t.clear(w, ctx);
    expect(ctx.eventTimers.size).toBe(0);
  });

  it('fires at once for an element of a window the watermark passed (late but allowed)', () => {
    const ctx = new FakeTriggerContext().forWindow(w);
    ctx.watermark = 4999;
    expect(EventTimeTrigger.create().onElement('a', 10, w, ctx)).toBe(TriggerResult.FIRE);
    expect(ctx.eventTimers.size).toBe(0);
  });

  it('re-registers on merge unless the merged window is already late', () => {
    const t = EventTimeTrigger.create();
    const ctx = new FakeTriggerContext().forWindow(w);
    t.onMerge(w, ctx);
    expect([...ctx.eventTimers]).toEqual(['0:5000@4999']);
    ctx.eventTimers.clear();
    ctx.watermark = 5000;
    t.onMerge(w, ctx);
    expect(ctx.eventTimers.size).toBe(0);
  });
});

describe('ProcessingTimeTrigger', () => {
  it('fires on its processing-time timer', () => {
    const t = ProcessingTimeTrigger.create();
    const ctx = new FakeTriggerContext().forWindow(w);
    expect(t.onElement('a', 0, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect([...ctx.processingTimers]).toEqual(['0:5000@4999']);
    expect(t.onProcessingTime(0, w, ctx)).toBe(TriggerResult.FIRE);
    expect(t.onEventTime(0, w, ctx)).toBe(TriggerResult.CONTINUE);
    t.clear(w, ctx);
    expect(ctx.processingTimers.size).toBe(0);
  });
});

describe('CountTrigger', () => {
  it('fires every n elements per window and starts counting again', () => {
    const t = CountTrigger.of(3);
    const ctx = new FakeTriggerContext().forWindow(w);
    const results = [1, 2, 3, 4, 5, 6, 7].map((i) => t.onElement(i, 0, w, ctx));
    expect(results).toEqual(['CONTINUE', 'CONTINUE', 'FIRE', 'CONTINUE', 'CONTINUE', 'FIRE', 'CONTINUE']);
    expect(ctx.state.get('0:5000/count')).toBe(1);
    t.clear(w, ctx);
    expect(ctx.state.size).toBe(0);
    expect(t.toString()).toBe('CountTrigger(3)');
    expect(() => CountTrigger.of(0)).toThrow(/positive integer/);
  });

  it('adds the counts of merged windows', () => {
    const t = CountTrigger.of(5);
    const ctx = new FakeTriggerContext();
    const a = new TimeWindow(0, 10);
    const b = new TimeWindow(5, 20);
    t.onElement(1, 0, a, ctx.forWindow(a));
    t.onElement(2, 0, a, ctx.forWindow(a));
    t.onElement(3, 0, b, ctx.forWindow(b));
    const merged = a.cover(b);
    ctx.forWindow(merged).mergedWindows = [a, b];
    t.onMerge(merged, ctx);
    expect(ctx.state.get('0:20/count')).toBe(3);
    expect(t.onElement(4, 0, merged, ctx)).toBe(TriggerResult.CONTINUE);
    expect(t.onElement(5, 0, merged, ctx)).toBe(TriggerResult.FIRE);
  });
});

describe('PurgingTrigger', () => {
  it('turns FIRE into FIRE_AND_PURGE and keeps CONTINUE', () => {
    const t = PurgingTrigger.of(CountTrigger.of(2));
    const ctx = new FakeTriggerContext().forWindow(w);
    expect(t.onElement(1, 0, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect(t.onElement(2, 0, w, ctx)).toBe(TriggerResult.FIRE_AND_PURGE);
    expect(PurgingTrigger.of(EventTimeTrigger.create()).onEventTime(4999, w, ctx)).toBe(TriggerResult.FIRE_AND_PURGE);
    expect(t.toString()).toBe('PurgingTrigger(CountTrigger(2))');
    expect(t.canMerge()).toBe(true);
  });
});

describe('ContinuousEventTimeTrigger', () => {
  it('fires every interval of event time, aligned, and at the window end', () => {
    const t = ContinuousEventTimeTrigger.of(1000);
    const ctx = new FakeTriggerContext().forWindow(w);
    expect(t.onElement('a', 1500, w, ctx)).toBe(TriggerResult.CONTINUE);
    // The window's end, and the next aligned interval after the element's: 1000 + 1000.
    expect([...ctx.eventTimers].sort()).toEqual(['0:5000@2000', '0:5000@4999']);
    expect(t.onEventTime(2000, w, ctx)).toBe(TriggerResult.FIRE);
    expect(ctx.eventTimers.has('0:5000@3000')).toBe(true);
    expect(t.onEventTime(2500, w, ctx)).toBe(TriggerResult.CONTINUE);
    expect(t.onEventTime(3000, w, ctx)).toBe(TriggerResult.FIRE);
    expect(t.onEventTime(4000, w, ctx)).toBe(TriggerResult.FIRE);
    // The last interval is capped at maxTimestamp.
    expect(ctx.state.get('0:5000/fire-time')).toBe(4999);
    expect(t.onEventTime(4999, w, ctx)).toBe(TriggerResult.FIRE);
    t.clear(w, ctx);
    expect(ctx.state.size).toBe(0);
    expect(() => ContinuousEventTimeTrigger.of(0)).toThrow(/positive/);
  });
});
