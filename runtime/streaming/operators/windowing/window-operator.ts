import type { OutputTag } from '../../../api/output-tag.ts';
import type { HeapKeyedStateBackend, KeyedValueState } from '../../../state/heap-keyed-state-backend.ts';
import { ValueStateDescriptor } from '../../../state/state-descriptor.ts';
import type { KeySelector } from '../../functions.ts';
import type { ValueState } from '../../keyed-value-state.ts';
import type { Output } from '../../output.ts';
import { AbstractStreamOperator, type OperatorContext, type OperatorMetrics } from '../../stream-operator.ts';
import type { InternalTimer, InternalTimerService, Triggerable } from '../../time/internal-timer-service.ts';
import { TimestampedCollector } from '../../timestamped-collector.ts';
import { isMergingWindowAssigner, type MergingWindowAssigner, type WindowAssigner, type WindowAssignerContext } from '../../windowing/assigners/window-assigner.ts';
import { instanceOf, type InternalWindowFunction } from '../../windowing/internal-window-function.ts';
import { closeFunction, openFunction, setFunctionRuntimeContext } from '../abstract-udf-stream-operator.ts';
import { MergingWindowSet, type WindowMapping } from '../../windowing/merging-window-set.ts';
import type { OnMergeContext, Trigger } from '../../windowing/triggers/trigger.ts';
import { isFire, isPurge, type TriggerResult } from '../../windowing/triggers/trigger-result.ts';
import type { Window } from '../../windowing/window.ts';
import type { WindowContents } from '../../windowing/window-contents.ts';
import type { KeyedStateStore, ProcessWindowContext } from '../../windowing/window-functions.ts';
import { NamespacedStateStore } from '../../windowing/namespaced-state-store.ts';

export interface WindowOperatorSpec<IN, K, W extends Window, ACC, V, OUT> {
  readonly keySelector: KeySelector<IN, K>;
  readonly assigner: WindowAssigner<IN, W>;
  readonly trigger: Trigger<IN, W>;
  readonly contents: WindowContents<IN, ACC, V>;
  readonly windowFunction: InternalWindowFunction<V, OUT, K, W>;
  /** Milliseconds; 0 by default. */
  readonly allowedLateness: number;
  readonly lateDataOutputTag?: OutputTag<IN> | undefined;
}

/** The largest timestamp; a window whose cleanup time overflows it is never cleaned up by a timer. */
const MAX_TIME = Number.MAX_SAFE_INTEGER;

/**
 * Keyed windows (Flink's WindowOperator): assigns each element to windows, keeps their contents
 * in keyed state under the window's namespace, asks the trigger what to do on elements and
 * timers, runs the window function on FIRE (results carry the window's maxTimestamp), drops or
 * side-outputs late elements and clears each window at its cleanup time (maxTimestamp +
 * allowedLateness). Merging assigners (sessions) keep a MergingWindowSet per key in keyed state.
 */
export class WindowOperator<IN, K, W extends Window, ACC, V, OUT> extends AbstractStreamOperator<IN, OUT> implements Triggerable<K, W> {
  protected readonly spec: WindowOperatorSpec<IN, K, W, ACC, V, OUT>;
  private readonly eventTime: boolean;
  private readonly mergingAssigner: MergingWindowAssigner<IN, W> | null;
  protected backend!: HeapKeyedStateBackend;
  protected timerService!: InternalTimerService<W>;
  /** The window contents, with its namespace set to the (state) window at hand. */
  protected windowState!: KeyedValueState<ACC>;
  private mergingSets!: KeyedValueState<WindowMapping<W>[]>;
  private triggerContext!: WindowTriggerContext<K, W>;
  protected processContext!: WindowProcessContext<W>;
  protected collector!: TimestampedCollector<OUT>;
  private assignerContext!: WindowAssignerContext;
  /** Elements dropped because all their windows were past cleanup (Flink's numLateRecordsDropped). */
  numLateRecordsDropped = 0;

  constructor(spec: WindowOperatorSpec<IN, K, W, ACC, V, OUT>) {
    super();
    // Each parallel instance runs its own copy of a window function object (a rich one keeps fields).
    this.spec = { ...spec, windowFunction: instanceOf(spec.windowFunction) };
    this.eventTime = spec.assigner.isEventTime();
    this.mergingAssigner = isMergingWindowAssigner(spec.assigner) ? spec.assigner : null;
  }

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    this.backend = this.getKeyedStateBackend();
    this.timerService = this.getInternalTimerService<K, W>('window-timers', this);
    this.windowState = this.backend.getState(new ValueStateDescriptor<ACC>(this.spec.contents.stateName));
    this.mergingSets = this.backend.getState(new ValueStateDescriptor<WindowMapping<W>[]>('merging-window-set'));
    this.triggerContext = new WindowTriggerContext<K, W>(this.backend, this.timerService);
    this.processContext = new WindowProcessContext<W>(this.backend, this.timerService, output, this.mergingAssigner !== null);
    this.collector = new TimestampedCollector<OUT>(output, 0);
    const pts = this.getProcessingTimeService();
    this.assignerContext = { getCurrentProcessingTime: () => pts.getCurrentProcessingTime() };
    setFunctionRuntimeContext(this.spec.windowFunction.userFunction, context, this.backend);
  }

  /** A rich window function (Flink's ProcessWindowFunction is one) opens before the first element. */
  override async open(): Promise<void> {
    await super.open();
    await openFunction(this.spec.windowFunction.userFunction);
  }

  override async close(): Promise<void> {
    try {
      await closeFunction(this.spec.windowFunction.userFunction);
    } finally {
      await super.close();
    }
  }

  override metrics(): OperatorMetrics {
    return { ...super.metrics(), numLateRecordsDropped: this.numLateRecordsDropped };
  }

  collect(record: IN, timestamp: number): void {
    const spec = this.spec;
    const windows = spec.assigner.assignWindows(record, timestamp, this.assignerContext);
    const key = spec.keySelector(record);
    this.backend.setCurrentKey(key);
    this.triggerContext.key = key;
    let skipped = true;
    if (this.mergingAssigner !== null) {
      const merging = this.mergingWindowSet();
      for (const window of windows) {
        const actual = merging.addWindow(window, (mergeResult, mergedWindows, stateWindowResult, mergedStateWindows) =>
          this.merge(mergeResult, mergedWindows, stateWindowResult, mergedStateWindows),
        );
        if (this.isWindowLate(actual)) {
          merging.retireWindow(actual);
          continue;
        }
        skipped = false;
        this.addToWindow(actual, merging.getStateWindow(actual)!, record, timestamp);
      }
      merging.persist();
    } else {
      for (const window of windows) {
        if (this.isWindowLate(window)) continue;
        skipped = false;
        this.addToWindow(window, window, record, timestamp);
      }
    }
    if (skipped && this.isElementLate(timestamp)) {
      if (spec.lateDataOutputTag !== undefined) this.output.collectSideOutput(spec.lateDataOutputTag, record, timestamp);
      else this.numLateRecordsDropped++;
    }
  }

  onEventTime(timer: InternalTimer<K, W>): void {
    this.onTimer(timer, true);
  }

  onProcessingTime(timer: InternalTimer<K, W>): void {
    this.onTimer(timer, false);
  }

  /** Fires the window's function over `contents` with results stamped `window.maxTimestamp()`. */
  protected emitWindowContents(key: K, window: W, contents: ACC): void {
    this.collector.timestamp = window.maxTimestamp();
    this.processContext.currentWindow = window;
    this.spec.windowFunction.process(key, window, this.processContext, this.spec.contents.elements(contents), this.collector);
  }

  private addToWindow(window: W, stateWindow: W, record: IN, timestamp: number): void {
    const state = this.windowState;
    state.setCurrentNamespace(stateWindow.namespaceKey);
    state.update(this.spec.contents.add(state.value(), record, timestamp));
    const ctx = this.triggerContext;
    ctx.window = window;
    const result = this.spec.trigger.onElement(record, timestamp, window, ctx);
    this.applyTriggerResult(result, window);
    this.registerCleanupTimer(window);
  }

  private applyTriggerResult(result: TriggerResult, window: W): void {
    if (isFire(result)) {
      const contents = this.windowState.value();
      if (contents !== undefined) this.emitWindowContents(this.triggerContext.key, window, contents);
    }
    if (isPurge(result)) this.windowState.clear();
  }

  private onTimer(timer: InternalTimer<K, W>, eventTimeTimer: boolean): void {
    const window = timer.namespace;
    const ctx = this.triggerContext;
    ctx.key = timer.key;
    ctx.window = window;
    let merging: MergingWindowSet<W> | null = null;
    if (this.mergingAssigner !== null) {
      merging = this.mergingWindowSet();
      const stateWindow = merging.getStateWindow(window);
      // A timer of a window that merged away: its trigger state moved with the merge.
      if (stateWindow === undefined) return;
      this.windowState.setCurrentNamespace(stateWindow.namespaceKey);
    } else {
      this.windowState.setCurrentNamespace(window.namespaceKey);
    }
    if (this.windowState.value() !== undefined) {
      const result = eventTimeTimer ? this.spec.trigger.onEventTime(timer.timestamp, window, ctx) : this.spec.trigger.onProcessingTime(timer.timestamp, window, ctx);
      this.applyTriggerResult(result, window);
    }
    if (this.eventTime === eventTimeTimer && timer.timestamp === this.cleanupTime(window)) this.clearAllState(window, merging);
    merging?.persist();
  }

  private merge(mergeResult: W, mergedWindows: W[], stateWindowResult: W, mergedStateWindows: W[]): void {
    if (this.eventTime && mergeResult.maxTimestamp() + this.spec.allowedLateness <= this.timerService.currentWatermark()) {
      throw new Error(`The end timestamp of an event-time window cannot become earlier than the current watermark by merging. Current watermark: ${this.timerService.currentWatermark()} window: ${String(mergeResult)}`);
    }
    if (!this.eventTime && mergeResult.maxTimestamp() <= this.timerService.currentProcessingTime()) {
      throw new Error(`The end timestamp of a processing-time window cannot become earlier than the current processing time by merging. Current processing time: ${this.timerService.currentProcessingTime()} window: ${String(mergeResult)}`);
    }
    const ctx = this.triggerContext;
    ctx.window = mergeResult;
    ctx.mergedWindows = mergedWindows;
    this.spec.trigger.onMerge(mergeResult, ctx);
    for (const merged of mergedWindows) {
      ctx.window = merged;
      this.spec.trigger.clear(merged, ctx);
      this.deleteCleanupTimer(merged);
    }
    // Fold the merged windows' contents into the state window of the result.
    const state = this.windowState;
    const contents = this.spec.contents;
    let acc: ACC | undefined;
    state.setCurrentNamespace(stateWindowResult.namespaceKey);
    acc = state.value();
    for (const source of mergedStateWindows) {
      state.setCurrentNamespace(source.namespaceKey);
      const v = state.value();
      if (v === undefined) continue;
      state.clear();
      acc = acc === undefined ? v : contents.merge(acc, v);
    }
    state.setCurrentNamespace(stateWindowResult.namespaceKey);
    if (acc !== undefined) state.update(acc);
  }

  private clearAllState(window: W, merging: MergingWindowSet<W> | null): void {
    this.windowState.clear();
    this.triggerContext.window = window;
    this.spec.trigger.clear(window, this.triggerContext);
    this.processContext.currentWindow = window;
    this.spec.windowFunction.clear(window, this.processContext);
    if (merging !== null) merging.retireWindow(window);
  }

  private mergingWindowSet(): MergingWindowSet<W> {
    return new MergingWindowSet<W>(this.mergingAssigner as MergingWindowAssigner<unknown, W>, this.mergingSets);
  }

  /** maxTimestamp + allowedLateness for event time (MAX on overflow), maxTimestamp for processing time. */
  private cleanupTime(window: W): number {
    if (!this.eventTime) return window.maxTimestamp();
    const time = window.maxTimestamp() + this.spec.allowedLateness;
    return time >= window.maxTimestamp() && time < MAX_TIME ? time : MAX_TIME;
  }

  private registerCleanupTimer(window: W): void {
    const time = this.cleanupTime(window);
    if (time === MAX_TIME) return;
    if (this.eventTime) this.triggerContext.registerEventTimeTimer(time);
    else this.triggerContext.registerProcessingTimeTimer(time);
  }

  private deleteCleanupTimer(window: W): void {
    const time = this.cleanupTime(window);
    if (time === MAX_TIME) return;
    if (this.eventTime) this.timerService.deleteEventTimeTimer(window, time);
    else this.timerService.deleteProcessingTimeTimer(window, time);
  }

  private isWindowLate(window: W): boolean {
    return this.eventTime && this.cleanupTime(window) <= this.timerService.currentWatermark();
  }

  private isElementLate(timestamp: number): boolean {
    return this.eventTime && timestamp + this.spec.allowedLateness <= this.timerService.currentWatermark();
  }
}

/** Per-name value states of one backend, re-scoped per call (allocation-free on the hot path). */
class NamespacedStates {
  private readonly backend: HeapKeyedStateBackend;
  private readonly states = new Map<string, KeyedValueState<unknown>>();

  constructor(backend: HeapKeyedStateBackend) {
    this.backend = backend;
  }

  get<S>(descriptor: ValueStateDescriptor<S>, namespaceKey: string | undefined): KeyedValueState<S> {
    let state = this.states.get(descriptor.name) as KeyedValueState<S> | undefined;
    if (state === undefined) {
      state = this.backend.getState(descriptor);
      this.states.set(descriptor.name, state);
    }
    state.setCurrentNamespace(namespaceKey);
    return state;
  }

}

/** The trigger's view of the current key and window (Flink's WindowOperator.Context). */
class WindowTriggerContext<K, W extends Window> implements OnMergeContext {
  key!: K;
  window!: W;
  mergedWindows: W[] = [];
  private readonly timers: InternalTimerService<W>;
  private readonly states: NamespacedStates;

  constructor(backend: HeapKeyedStateBackend, timers: InternalTimerService<W>) {
    this.timers = timers;
    this.states = new NamespacedStates(backend);
  }

  getCurrentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  getCurrentWatermark(): number {
    return this.timers.currentWatermark();
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(this.window, time);
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(this.window, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(this.window, time);
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(this.window, time);
  }

  getPartitionedState<S>(descriptor: ValueStateDescriptor<S>): ValueState<S> {
    return this.states.get(descriptor, this.window.namespaceKey as string);
  }

  mergePartitionedState<S>(descriptor: ValueStateDescriptor<S>, merge: (a: S, b: S) => S): void {
    let acc: S | undefined;
    for (const merged of this.mergedWindows) {
      const state = this.states.get(descriptor, merged.namespaceKey as string);
      const v = state.value();
      if (v === undefined) continue;
      state.clear();
      acc = acc === undefined ? v : merge(acc, v);
    }
    if (acc === undefined) return;
    const target = this.states.get(descriptor, this.window.namespaceKey as string);
    const current = target.value();
    target.update(current === undefined ? acc : merge(current, acc));
  }
}

/** The ProcessWindowFunction's context (Flink's WindowOperator.WindowContext). */
class WindowProcessContext<W extends Window> implements ProcessWindowContext<W> {
  currentWindow!: W;
  private readonly timers: InternalTimerService<W>;
  private readonly out: Output<unknown>;
  private readonly windowStore: KeyedStateStore;
  private readonly globalStore: KeyedStateStore;

  constructor(backend: HeapKeyedStateBackend, timers: InternalTimerService<W>, out: Output<unknown>, merging: boolean) {
    this.timers = timers;
    this.out = out;
    // A merged window's state would have to merge too (Flink's MergingWindowStateStore refuses).
    const refuseWhenMerging = merging
      ? (): never => {
          throw new Error('Per-window state is not allowed when using merging windows.');
        }
      : undefined;
    this.windowStore = new NamespacedStateStore(backend, () => this.currentWindow.namespaceKey, refuseWhenMerging);
    this.globalStore = new NamespacedStateStore(backend, () => undefined);
  }

  window(): W {
    return this.currentWindow;
  }

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  currentWatermark(): number {
    return this.timers.currentWatermark();
  }

  /** Flink leaves clearing it to the function's clear(context), called when the window goes. */
  windowState(): KeyedStateStore {
    return this.windowStore;
  }

  globalState(): KeyedStateStore {
    return this.globalStore;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSideOutput(tag, value, this.currentWindow.maxTimestamp());
  }
}
