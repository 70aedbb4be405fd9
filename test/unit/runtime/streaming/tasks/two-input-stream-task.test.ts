import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../rm/common/clock.ts';
import { StreamExecutionEnvironment } from '../../../../../runtime/api/stream-execution-environment.ts';
import { inputEdges } from '../../../../../runtime/jobgraph/job-graph.ts';
import { TaskIOMetrics } from '../../../../../runtime/network/task-io-metrics.ts';
import { CollectRegistry } from '../../../../../runtime/streaming/collect-output.ts';
import { InMemoryChannel } from '../../../../../runtime/streaming/local/in-memory-channel.ts';
import { InMemoryInputGate } from '../../../../../runtime/streaming/local/in-memory-input-gate.ts';
import type { SubtaskInfo } from '../../../../../runtime/streaming/operator-chain.ts';
import type { MailboxController } from '../../../../../runtime/streaming/tasks/mailbox-processor.ts';
import { createStreamTask } from '../../../../../runtime/streaming/tasks/stream-task-factory.ts';
import { TwoInputStreamTask } from '../../../../../runtime/streaming/tasks/two-input-stream-task.ts';
import { MemoryTextOutput } from '../../../../../runtime/streaming/text-output.ts';

/** A co-map whose first input is a union of two sources: three gates, edges typeNumber 1, 1, 2. */
async function coMapTask() {
  const env = new StreamExecutionEnvironment({ parallelism: 1 });
  const numbers = env.fromSequence(1, 2).union(env.fromSequence(3, 4));
  numbers
    .connect(env.fromElements('w'))
    .map({ map1: (n: number) => `n${n}`, map2: (w: string) => `w${w}` })
    .collect('out');
  const { jobGraph, userCode } = env.buildJob();
  const vertex = jobGraph.vertices.find((v) => v.name.startsWith('Co-Map'))!;
  const edges = inputEdges(jobGraph, vertex.id);
  expect(edges.map((e) => e.typeNumber)).toEqual([1, 1, 2]);
  const channels = edges.map(() => new InMemoryChannel(64));
  const clock = new ManualClock(0);
  const collected = new CollectRegistry();
  const info: SubtaskInfo = {
    jobGraph,
    vertex,
    subtaskIndex: 0,
    attemptNumber: 0,
    userCode,
    services: { clock, stdout: new MemoryTextOutput(), collectOutput: collected },
    createOutput: () => {
      throw new Error('the co-map chains into its sink');
    },
  };
  const task = createStreamTask(info, { metrics: new TaskIOMetrics(clock), inputGates: channels.map((c) => new InMemoryInputGate([c])) });
  expect(task).toBeInstanceOf(TwoInputStreamTask);
  await task.open(info);
  let waiting = false;
  const controller: MailboxController = {
    allActionsCompleted: () => {},
    suspendDefaultAction: () => void (waiting = true),
  };
  /** Runs the task's turns until it waits for input. */
  const drain = (): void => {
    waiting = false;
    for (let turns = 0; !waiting && turns < 10; turns++) task.runDefaultAction(controller);
  };
  return { task, channels: channels as [InMemoryChannel, InMemoryChannel, InMemoryChannel], collected, drain };
}

describe('TwoInputStreamTask', () => {
  it('feeds each gate to the input its edge names and reports the minimum over both inputs, and who holds it', async () => {
    const { task, channels, collected, drain } = await coMapTask();
    const [numbersA, numbersB, words] = channels;
    numbersA.push(1, 10);
    words.push('w', 11);
    numbersB.push(3, 12);
    numbersA.pushWatermark(100);
    numbersB.pushWatermark(50);
    words.pushWatermark(70);
    drain();
    expect(collected.results('out')).toEqual(expect.arrayContaining(['n1', 'ww', 'n3']));
    const metrics = task.metricsSnapshot()!;
    // Input 1 is at min(100, 50) = 50, input 2 at 70: the task at 50, held by the second gate.
    expect(metrics.input).toMatchObject({ currentInputWatermark: 50, heldBackBy: { gate: 1, channel: 0 } });
    expect(metrics.operators[0]!.metrics).toMatchObject({ currentInputWatermark: 50, currentInput1Watermark: 50, currentInput2Watermark: 70 });

    // The second input goes idle: input 1 alone decides, and its slower gate still holds it.
    words.pushWatermarkStatus(true);
    numbersB.pushWatermark(90);
    drain();
    expect(task.metricsSnapshot()!.input).toMatchObject({ currentInputWatermark: 90, heldBackBy: { gate: 1, channel: 0 } });
    expect(task.metricsSnapshot()!.idle).toBe(false);

    // Both inputs idle: the task is idle downstream.
    numbersA.pushWatermarkStatus(true);
    numbersB.pushWatermarkStatus(true);
    drain();
    expect(task.metricsSnapshot()!.idle).toBe(true);
  });
});
