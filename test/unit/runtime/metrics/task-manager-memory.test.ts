import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { GarbageCollectors } from '../../../../runtime/metrics/garbage-collectors.ts';
import { taskManagerMemory } from '../../../../runtime/metrics/task-manager-memory.ts';
import { NetworkBufferPool } from '../../../../runtime/network/network-buffer-pool.ts';
import { TaskManagerMetricsInfo } from '../../../../runtime/protocol/task-manager-metrics-info.ts';

/** A full collection now (V8's gc(), made callable for this test). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Until the observer (which V8 calls back asynchronously) has seen a full collection. */
async function majorCollections(gc: GarbageCollectors): Promise<number> {
  for (;;) {
    const count = gc.snapshot().find((c) => c.name === 'MarkSweepCompact')?.count ?? 0;
    if (count > 0) return count;
    await new Promise((r) => setImmediate(r));
  }
}

describe("a TaskManager's memory and buffer figures (Flink's TaskManagerMetricsInfo)", () => {
  it("are this process's heap and buffers and the network pool's segments, in bytes", () => {
    const pool = new NetworkBufferPool(64, 32768);
    const held = pool.requestSegments(5, 'a test gate');
    const gc = new GarbageCollectors();
    const info = TaskManagerMetricsInfo.parse(taskManagerMemory(pool, gc));

    expect(info.heapUsed).toBeGreaterThan(0);
    expect(info.heapUsed).toBeLessThanOrEqual(info.heapCommitted);
    expect(info.heapCommitted).toBeLessThanOrEqual(info.heapMax);
    // The five segments are Buffers outside the heap: counted, and inside the direct bytes.
    expect(info.directCount).toBe(5);
    expect(info.directUsed).toBeGreaterThanOrEqual(5 * 32768);
    expect(info).toMatchObject({
      nettyShuffleMemorySegmentsTotal: 64,
      nettyShuffleMemorySegmentsUsed: 5,
      nettyShuffleMemorySegmentsAvailable: 59,
      memorySegmentsTotal: 64,
      memorySegmentsAvailable: 59,
      nettyShuffleMemoryTotal: 64 * 32768,
      nettyShuffleMemoryUsed: 5 * 32768,
      nettyShuffleMemoryAvailable: 59 * 32768,
      mappedCount: 0,
    });
    expect(info.garbageCollectors.map((c) => c.name)).toEqual(['Scavenge', 'MarkSweepCompact', 'IncrementalMarking', 'ProcessWeakCallbacks']);
    for (const s of held) pool.recycleSegment(s);
    expect(taskManagerMemory(pool, gc).nettyShuffleMemorySegmentsUsed).toBe(0);
  });

  it('count collections and their time per collector while started', async () => {
    const gc = new GarbageCollectors().start();
    try {
      collectGarbage();
      expect(await majorCollections(gc)).toBeGreaterThanOrEqual(1);
      const major = gc.snapshot().find((c) => c.name === 'MarkSweepCompact')!;
      expect(major.time).toBeGreaterThanOrEqual(0);
    } finally {
      gc.stop();
    }
  });
});
