import { describe, expect, it } from 'vitest';
import { WatermarkStrategy } from '../../../../runtime/api/eventtime/watermark-strategy.ts';
import { StreamExecutionEnvironment } from '../../../../runtime/api/stream-execution-environment.ts';
import { TimestampsAndWatermarksOperator } from '../../../../runtime/streaming/operators/timestamps-and-watermarks-operator.ts';
import { MapOperator } from '../../../../runtime/streaming/operators/map-operator.ts';
import { NO_TIMESTAMP } from '../../../../runtime/streaming/stream-element.ts';
import { TumblingEventTimeWindows } from '../../../../runtime/streaming/windowing/assigners/tumbling-windows.ts';
import type { StreamTaskMetrics } from '../../../../runtime/streaming/tasks/stream-task.ts';
import { toTaskMetricsReport } from '../../../../runtime/taskexecutor/task-io-metrics-report.ts';
import { OperatorTestHarness } from '../../../doubles/operator-test-harness.ts';

describe("operators' watermark metrics (Flink's currentInputWatermark / currentOutputWatermark)", () => {
  it('an operator that forwards watermarks reports what reached it; none yet is Long.MIN_VALUE', async () => {
    const h = await new OperatorTestHarness(new MapOperator((n: number) => n + 1)).open();
    expect(h.operator.metrics?.()).toEqual({ currentInputWatermark: NO_TIMESTAMP, currentOutputWatermark: NO_TIMESTAMP });
    h.operator.emitWatermark(1500);
    expect(h.operator.metrics?.()).toEqual({ currentInputWatermark: 1500, currentOutputWatermark: 1500 });
  });

  it('assignTimestampsAndWatermarks reports the upstream watermark as input and its own as output, and its idleness', async () => {
    const strategy = WatermarkStrategy.forBoundedOutOfOrderness<number>(1000).withTimestampAssigner((n) => n).withIdleness(5000);
    const h = await new OperatorTestHarness(new TimestampsAndWatermarksOperator(strategy), { settings: { autoWatermarkInterval: 200 } }).open();
    h.processElement(10_000, NO_TIMESTAMP);
    h.operator.emitWatermark(3);
    h.advance(200);
    expect(h.operator.metrics?.()).toEqual({ currentInputWatermark: 3, currentOutputWatermark: 8999 });
    expect(h.operator.isOutputIdle).toBe(false);
    for (let i = 0; i < 30; i++) h.advance(200); // 6 s without events, checked every 200 ms
    expect(h.operator.isOutputIdle).toBe(true);
  });

  it('a window operator adds numLateRecordsDropped', () => {
    const stream = new StreamExecutionEnvironment().fromElements<[string, number]>().keyBy((r) => r[0]).window(TumblingEventTimeWindows.of(1000)).reduce((a, b) => [a[0], a[1] + b[1]]);
    const h = new OperatorTestHarness<[string, number], [string, number]>(stream.transformation.factory!());
    h.processWatermark(5000);
    h.processElement(['a', 1], 100);
    h.processElement(['a', 1], 200);
    expect(h.operator.metrics?.()).toEqual({ currentInputWatermark: 5000, currentOutputWatermark: 5000, numLateRecordsDropped: 2 });
  });
});

describe('the task metrics report the JobMaster receives', () => {
  it('names each channel by its producer subtask, marks idle and ended channels, and says which one holds the task back', () => {
    const snapshot: StreamTaskMetrics = {
      input: {
        currentInputWatermark: Number.NEGATIVE_INFINITY,
        gates: [
          [
            { watermark: 4000, idle: false, ended: false },
            { watermark: Number.NEGATIVE_INFINITY, idle: false, ended: false },
            { watermark: 9000, idle: true, ended: false },
          ],
          [{ watermark: 7000, idle: false, ended: true }],
        ],
        heldBackBy: { gate: 0, channel: 1 },
      },
      idle: false,
      operators: [{ id: 'op1', name: 'Window(TumblingEventTimeWindows(1000))', metrics: { currentInputWatermark: NO_TIMESTAMP, numLateRecordsDropped: 3 } }],
    };
    const channels = (producers: number[]) => producers.map((p) => ({ partitionId: 'p'.repeat(32), producerSubtaskIndex: p, subpartitionIndex: 0, location: { resourceId: 'tm', address: 'http://x', dataAddress: 'x:1', host: 'x' } }));
    const report = toTaskMetricsReport(snapshot, [
      { sourceVertexId: 'a'.repeat(32), partitioner: 'HASH', channels: channels([0, 1, 2]) },
      { sourceVertexId: 'b'.repeat(32), partitioner: 'FORWARD', channels: channels([1]) },
    ]);
    expect(report).toEqual({
      currentInputWatermark: NO_TIMESTAMP,
      watermarkStatus: 'ACTIVE',
      inputs: [
        {
          sourceVertexId: 'a'.repeat(32),
          channels: [
            { producerSubtaskIndex: 0, watermark: 4000, status: 'ACTIVE' },
            { producerSubtaskIndex: 1, watermark: NO_TIMESTAMP, status: 'ACTIVE' },
            { producerSubtaskIndex: 2, watermark: 9000, status: 'IDLE' },
          ],
        },
        { sourceVertexId: 'b'.repeat(32), channels: [{ producerSubtaskIndex: 1, watermark: 7000, status: 'ENDED' }] },
      ],
      heldBackBy: { gate: 0, channel: 1 },
      operators: [{ id: 'op1', name: 'Window(TumblingEventTimeWindows(1000))', metrics: { currentInputWatermark: NO_TIMESTAMP, numLateRecordsDropped: 3 } }],
    });
    // JSON carries it as is (no -Infinity on the wire).
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('a source task has no currentInputWatermark, only its status', () => {
    expect(toTaskMetricsReport({ input: undefined, idle: true, operators: [] }, [])).toEqual({ watermarkStatus: 'IDLE', inputs: [], operators: [] });
  });
});
