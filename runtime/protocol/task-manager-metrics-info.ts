import { z } from 'zod';

/** One garbage collector's totals (Flink's GarbageCollectorInfo): collections and milliseconds spent. */
export const GarbageCollectorInfo = z.object({ name: z.string(), count: z.number(), time: z.number() });
export type GarbageCollectorInfo = z.infer<typeof GarbageCollectorInfo>;

/**
 * A TaskManager's memory and network buffer figures (Flink's TaskManagerMetricsInfo, the `metrics`
 * of `/taskmanagers/:id`), in bytes. The TaskManager measures them in its own process and sends them
 * with its heartbeats to the Flink RM, so the JobManager's REST answer shows the TM's process, not
 * the JobManager's. `memorySegments*` are Flink's deprecated aliases of the netty shuffle counts.
 */
export const TaskManagerMetricsInfo = z.object({
  heapUsed: z.number(),
  heapCommitted: z.number(),
  heapMax: z.number(),
  nonHeapUsed: z.number(),
  nonHeapCommitted: z.number(),
  nonHeapMax: z.number(),
  directCount: z.number(),
  directUsed: z.number(),
  directMax: z.number(),
  mappedCount: z.number(),
  mappedUsed: z.number(),
  mappedMax: z.number(),
  memorySegmentsAvailable: z.number(),
  memorySegmentsTotal: z.number(),
  nettyShuffleMemorySegmentsAvailable: z.number(),
  nettyShuffleMemorySegmentsUsed: z.number(),
  nettyShuffleMemorySegmentsTotal: z.number(),
  nettyShuffleMemoryAvailable: z.number(),
  nettyShuffleMemoryUsed: z.number(),
  nettyShuffleMemoryTotal: z.number(),
  garbageCollectors: z.array(GarbageCollectorInfo),
});
export type TaskManagerMetricsInfo = z.infer<typeof TaskManagerMetricsInfo>;
