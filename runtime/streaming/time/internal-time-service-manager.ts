import type { HeapKeyedStateBackend } from '../../state/heap-keyed-state-backend.ts';
import { HeapInternalTimerService } from './heap-internal-timer-service.ts';
import type { InternalTimerService, Triggerable } from './internal-timer-service.ts';
import type { ProcessingTimeService } from './processing-time-service.ts';

/**
 * The timer services of one keyed operator, by name (Flink's InternalTimeServiceManager): the
 * operator's processWatermark advances all of them; their timers live in the operator's keyed
 * state backend.
 */
export class InternalTimeServiceManager {
  private readonly backend: HeapKeyedStateBackend;
  private readonly processingTimeService: ProcessingTimeService;
  private readonly services = new Map<string, HeapInternalTimerService<unknown, unknown>>();

  constructor(backend: HeapKeyedStateBackend, processingTimeService: ProcessingTimeService) {
    this.backend = backend;
    this.processingTimeService = processingTimeService;
  }

  /** The service `name`, created on first use and bound to `triggerable`. */
  getInternalTimerService<K, N>(name: string, triggerable: Triggerable<K, N>): InternalTimerService<N> {
    let service = this.services.get(name) as HeapInternalTimerService<K, N> | undefined;
    if (!service) {
      service = new HeapInternalTimerService<K, N>(name, this.backend, this.processingTimeService);
      this.services.set(name, service);
    }
    service.startTimerService(triggerable);
    return service;
  }

  advanceWatermark(watermark: number): void {
    for (const service of this.services.values()) service.advanceWatermark(watermark);
  }

  get numEventTimeTimers(): number {
    let n = 0;
    for (const s of this.services.values()) n += s.numEventTimeTimers;
    return n;
  }

  get numProcessingTimeTimers(): number {
    let n = 0;
    for (const s of this.services.values()) n += s.numProcessingTimeTimers;
    return n;
  }
}
