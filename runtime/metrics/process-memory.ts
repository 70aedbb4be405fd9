import { getHeapStatistics } from 'node:v8';

/**
 * This process's memory in the JVM's terms, so Flink's `Status.JVM.Memory.*` metrics and the
 * `/taskmanagers/:id` figures mean the same as on a JVM: V8's heap is the heap; memory V8 holds for
 * objects outside its heap (external, which includes every Buffer) is the non-heap; ArrayBuffer
 * memory (Buffers: network segments, socket data) is the direct buffer pool. Node has no
 * memory-mapped buffer pool and no non-heap limit (the JVM reports -1 for an undefined max).
 */
export interface ProcessMemory {
  readonly heapUsed: number;
  readonly heapCommitted: number;
  readonly heapMax: number;
  readonly nonHeapUsed: number;
  readonly nonHeapCommitted: number;
  readonly nonHeapMax: number;
  readonly directUsed: number;
  readonly directMax: number;
  readonly rss: number;
}

export function processMemory(): ProcessMemory {
  const usage = process.memoryUsage();
  return {
    heapUsed: usage.heapUsed,
    heapCommitted: usage.heapTotal,
    heapMax: getHeapStatistics().heap_size_limit,
    nonHeapUsed: usage.external,
    nonHeapCommitted: usage.external,
    nonHeapMax: -1,
    directUsed: usage.arrayBuffers,
    // A JVM buffer pool's total capacity; ArrayBuffers are allocated at their full size.
    directMax: usage.arrayBuffers,
    rss: usage.rss,
  };
}
