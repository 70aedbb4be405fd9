import type { Cancel } from '../../../rm/common/clock.ts';
import type { HeapKeyedStateBackend } from '../../state/heap-keyed-state-backend.ts';
import type { KeyGroupedTimerQueue } from '../../state/key-grouped-timer-queue.ts';
import { namespaceKeyOf } from '../../state/state-key.ts';
import { NO_WATERMARK, type InternalTimer, type InternalTimerService, type Triggerable } from './internal-timer-service.ts';
import type { ProcessingTimeService } from './processing-time-service.ts';

/**
 * One named timer service of a keyed operator (Flink's InternalTimerServiceImpl): two timer queues
 * kept in the keyed state backend (so a checkpoint writes them by key group), event-time timers
 * fired in timestamp order when the watermark reaches them, processing-time timers by one
 * physical timer for the earliest of them on the task's ProcessingTimeService.
 */
export class HeapInternalTimerService<K, N> implements InternalTimerService<N> {
  private readonly backend: HeapKeyedStateBackend;
  private readonly processingTimeService: ProcessingTimeService;
  private readonly eventTimeTimers: KeyGroupedTimerQueue;
  private readonly processingTimeTimers: KeyGroupedTimerQueue;
  private triggerable: Triggerable<K, N> | null = null;
  private watermark = NO_WATERMARK;
  /** The physical timer for the earliest processing-time timer, and its time. */
  private nextTimer: Cancel | null = null;
  private nextTimerAt = Number.POSITIVE_INFINITY;

  constructor(name: string, backend: HeapKeyedStateBackend, processingTimeService: ProcessingTimeService) {
    this.backend = backend;
    this.processingTimeService = processingTimeService;
    // Flink's state names for the two queues.
    this.eventTimeTimers = backend.timerQueue(`_timer_state/event_${name}`);
    this.processingTimeTimers = backend.timerQueue(`_timer_state/processing_${name}`);
  }

  /** Binds the operator that timers call back; a service is bound to one (Flink refuses a second). */
  startTimerService(triggerable: Triggerable<K, N>): void {
    if (this.triggerable !== null && this.triggerable !== triggerable) throw new Error('The timer service has already been started with another triggerable.');
    this.triggerable = triggerable;
    const head = this.processingTimeTimers.peek();
    if (head) this.armProcessingTimer(head.timestamp);
  }

  currentProcessingTime(): number {
    return this.processingTimeService.getCurrentProcessingTime();
  }

  currentWatermark(): number {
    return this.watermark;
  }

  registerEventTimeTimer(namespace: N, time: number): void {
    const b = this.backend;
    this.eventTimeTimers.addTimer(time, b.getCurrentKey(), b.getCurrentStateKey(), b.getCurrentKeyGroupIndex(), namespace, namespaceKeyOf(namespace));
  }

  deleteEventTimeTimer(namespace: N, time: number): void {
    this.eventTimeTimers.remove(this.backend.getCurrentStateKey(), namespaceKeyOf(namespace), time);
  }

  registerProcessingTimeTimer(namespace: N, time: number): void {
    const head = this.processingTimeTimers.peek();
    const b = this.backend;
    const added = this.processingTimeTimers.addTimer(time, b.getCurrentKey(), b.getCurrentStateKey(), b.getCurrentKeyGroupIndex(), namespace, namespaceKeyOf(namespace));
    if (added && time < (head?.timestamp ?? Number.POSITIVE_INFINITY)) {
      this.armProcessingTimer(time);
    }
  }

  deleteProcessingTimeTimer(namespace: N, time: number): void {
    // The physical timer stays; when it fires for a deleted timer it only re-arms for the next.
    this.processingTimeTimers.remove(this.backend.getCurrentStateKey(), namespaceKeyOf(namespace), time);
  }

  /** Fires every event-time timer at or before `watermark`, in timestamp order. */
  advanceWatermark(watermark: number): void {
    this.watermark = watermark;
    const queue = this.eventTimeTimers;
    for (let timer = queue.peek(); timer !== undefined && timer.timestamp <= watermark; timer = queue.peek()) {
      queue.poll();
      this.backend.setCurrentKeyFrom(timer.key, timer.stateKey, timer.keyGroup);
      this.bound().onEventTime(timer as InternalTimer<K, N>);
    }
  }

  /** The physical timer fired: fire every processing-time timer at or before `time`. */
  private onProcessingTime(time: number): void {
    this.nextTimer = null;
    this.nextTimerAt = Number.POSITIVE_INFINITY;
    const queue = this.processingTimeTimers;
    let timer = queue.peek();
    for (; timer !== undefined && timer.timestamp <= time; timer = queue.peek()) {
      queue.poll();
      this.backend.setCurrentKeyFrom(timer.key, timer.stateKey, timer.keyGroup);
      this.bound().onProcessingTime(timer as InternalTimer<K, N>);
    }
    if (timer !== undefined && this.nextTimer === null) this.armProcessingTimer(timer.timestamp);
  }

  /** Event-time and processing-time timers queued (for tests and metrics). */
  get numEventTimeTimers(): number {
    return this.eventTimeTimers.size;
  }

  get numProcessingTimeTimers(): number {
    return this.processingTimeTimers.size;
  }

  private armProcessingTimer(time: number): void {
    if (this.triggerable === null || time >= this.nextTimerAt) return;
    this.nextTimer?.();
    this.nextTimerAt = time;
    this.nextTimer = this.processingTimeService.registerTimer(time, (t) => this.onProcessingTime(t));
  }

  private bound(): Triggerable<K, N> {
    if (this.triggerable === null) throw new Error('The timer service has not been started; no triggerable to fire timers on.');
    return this.triggerable;
  }
}
