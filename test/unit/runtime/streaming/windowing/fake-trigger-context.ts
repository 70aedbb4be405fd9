import type { ValueState } from '../../../../../runtime/streaming/keyed-value-state.ts';
import type { ValueStateDescriptor } from '../../../../../runtime/state/state-descriptor.ts';
import type { OnMergeContext } from '../../../../../runtime/streaming/windowing/triggers/trigger.ts';
import type { Window } from '../../../../../runtime/streaming/windowing/window.ts';

/** A TriggerContext over plain maps: timers as sets, state per window namespace and name. */
export class FakeTriggerContext implements OnMergeContext {
  watermark = Number.MIN_SAFE_INTEGER;
  processingTime = 0;
  window!: Window;
  mergedWindows: Window[] = [];
  readonly eventTimers = new Set<string>();
  readonly processingTimers = new Set<string>();
  readonly state = new Map<string, unknown>();

  forWindow(window: Window): this {
    this.window = window;
    return this;
  }

  getCurrentProcessingTime(): number {
    return this.processingTime;
  }

  getCurrentWatermark(): number {
    return this.watermark;
  }

  registerProcessingTimeTimer(time: number): void {
    this.processingTimers.add(`${String(this.window.namespaceKey)}@${time}`);
  }

  registerEventTimeTimer(time: number): void {
    this.eventTimers.add(`${String(this.window.namespaceKey)}@${time}`);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.processingTimers.delete(`${String(this.window.namespaceKey)}@${time}`);
  }

  deleteEventTimeTimer(time: number): void {
    this.eventTimers.delete(`${String(this.window.namespaceKey)}@${time}`);
  }

  getPartitionedState<S>(descriptor: ValueStateDescriptor<S>): ValueState<S> {
    return this.stateIn<S>(this.window, descriptor.name);
  }

  mergePartitionedState<S>(descriptor: ValueStateDescriptor<S>, merge: (a: S, b: S) => S): void {
    const target = this.stateIn<S>(this.window, descriptor.name);
    for (const w of this.mergedWindows) {
      const s = this.stateIn<S>(w, descriptor.name);
      const v = s.value();
      if (v === undefined) continue;
      const t = target.value();
      target.update(t === undefined ? v : merge(t, v));
      s.clear();
    }
  }

  private stateIn<S>(window: Window, name: string): ValueState<S> {
    const k = `${String(window.namespaceKey)}/${name}`;
    const map = this.state;
    return {
      value: () => map.get(k) as S | undefined,
      update: (v: S) => void map.set(k, v),
      clear: () => void map.delete(k),
    };
  }
}
