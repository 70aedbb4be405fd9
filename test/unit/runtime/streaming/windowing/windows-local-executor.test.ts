import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../rm/common/clock.ts';
import { StreamExecutionEnvironment } from '../../../../../runtime/api/stream-execution-environment.ts';
import { CollectRegistry } from '../../../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../../../runtime/streaming/text-output.ts';
import { TumblingEventTimeWindows } from '../../../../../runtime/streaming/windowing/assigners/tumbling-windows.ts';

function executor(collected: CollectRegistry): LocalExecutor {
  return new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput(), clock: new ManualClock(0) } });
}

describe('windows on the LocalExecutor', () => {
  it('countWindow per key across parallel subtasks, and countWindowAll in one', async () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    const words = env.fromElements('a', 'b', 'a', 'c', 'a', 'b', 'a', 'c', 'c');
    words
      .map((w): [string, number] => [w, 1])
      .keyBy((p) => p[0])
      .countWindow(2)
      .reduce((x, y) => [x[0], x[1] + y[1]])
      .collect('pairs');
    words.countWindowAll(4).process<string>((_ctx, elements, out) => out.collect([...elements].join(''))).collect('all');
    const collected = new CollectRegistry();
    await executor(collected).execute(env.buildJob());
    // a x4 -> two windows, b x2 -> one, c x3 -> one (the third c waits for a partner forever).
    expect(collected.results<[string, number]>('pairs').map((p) => p.join(':')).sort()).toEqual(['a:2', 'a:2', 'b:2', 'c:2']);
    expect(collected.results('all')).toEqual(['abac', 'abac']);
  });

  it('an event-time window over records without timestamps fails the job with Flink message', async () => {
    const env = new StreamExecutionEnvironment({ parallelism: 1 });
    env.fromElements(1, 2, 3).keyBy((n) => n % 2).window(TumblingEventTimeWindows.of(1000)).reduce((a, b) => a + b).collect('sums');
    const result = await executor(new CollectRegistry()).start(env.buildJob()).result;
    expect(result.status).toBe('FAILED');
    expect(String(result.error)).toMatch(/Record has Long.MIN_VALUE timestamp \(= no timestamp marker\)/);
  });
});
