import type { TaskManagerMetricsInfo } from '../protocol/task-manager-metrics-info.ts';
import type { GarbageCollectors } from './garbage-collectors.ts';
import { processMemory } from './process-memory.ts';

export interface NetworkBufferFigures {
  readonly totalSegments: number;
  readonly availableSegments: number;
  readonly usedSegments: number;
  readonly allocatedSegments: number;
  readonly segmentSize: number;
}

/**
 * The TaskManager's memory and network buffers now, as Flink's TaskManagerMetricsInfo. The
 * direct buffer count is the network segments created: the TaskManager's own off-heap buffers
 * (Node does not count ArrayBuffers; their bytes are in directUsed).
 */
export function taskManagerMemory(pool: NetworkBufferFigures, gc: GarbageCollectors): TaskManagerMetricsInfo {
  const m = processMemory();
  return {
    heapUsed: m.heapUsed,
    heapCommitted: m.heapCommitted,
    heapMax: m.heapMax,
    nonHeapUsed: m.nonHeapUsed,
    nonHeapCommitted: m.nonHeapCommitted,
    nonHeapMax: m.nonHeapMax,
    directCount: pool.allocatedSegments,
    directUsed: m.directUsed,
    directMax: m.directMax,
    mappedCount: 0,
    mappedUsed: 0,
    mappedMax: 0,
    memorySegmentsAvailable: pool.availableSegments,
    memorySegmentsTotal: pool.totalSegments,
    nettyShuffleMemorySegmentsAvailable: pool.availableSegments,
    nettyShuffleMemorySegmentsUsed: pool.usedSegments,
    nettyShuffleMemorySegmentsTotal: pool.totalSegments,
    nettyShuffleMemoryAvailable: pool.availableSegments * pool.segmentSize,
    nettyShuffleMemoryUsed: pool.usedSegments * pool.segmentSize,
    nettyShuffleMemoryTotal: pool.totalSegments * pool.segmentSize,
    garbageCollectors: gc.snapshot(),
  };
}
