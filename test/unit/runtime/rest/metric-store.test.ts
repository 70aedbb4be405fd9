import { describe, expect, it } from 'vitest';
import type { ArchivedExecution } from '../../../../runtime/executiongraph/archived-execution-graph.ts';
import { formatLong, subtaskMetricStore } from '../../../../runtime/rest/metric-store.ts';
import { MAX_WATERMARK, NO_TIMESTAMP } from '../../../../runtime/streaming/stream-element.ts';

const execution = (metrics: ArchivedExecution['metrics']): ArchivedExecution => ({
  attemptId: 'a'.repeat(32),
  attemptNumber: 0,
  state: 'RUNNING',
  stateTimestamps: {},
  startTime: 0,
  endTime: -1,
  isTerminal: false,
  assignedResourceLocation: undefined,
  ioMetrics: undefined,
  metrics,
  failure: undefined,
});

describe("Flink's metric store of a subtask, from what its task reported", () => {
  it('prints watermarks as Java longs: none yet is Long.MIN_VALUE, the end of event time Long.MAX_VALUE', () => {
    expect([NO_TIMESTAMP, Number.NEGATIVE_INFINITY, 0, -5, 1_709_251_200_000, MAX_WATERMARK].map(formatLong)).toEqual([
      '-9223372036854775808',
      '-9223372036854775808',
      '0',
      '-5',
      '1709251200000',
      '9223372036854775807',
    ]);
  });

  it("a two-input task has currentInput1Watermark / currentInput2Watermark at task scope, from its head, and operator metrics under the operator's name", () => {
    const store = subtaskMetricStore(
      execution({
        currentInputWatermark: 1000,
        watermarkStatus: 'ACTIVE',
        inputs: [],
        operators: [
          { id: 'h', name: 'Co-Process', metrics: { currentInputWatermark: 1000, currentInput1Watermark: 1000, currentInput2Watermark: 3000, currentOutputWatermark: 1000 } },
          { id: 's', name: 'Sink: out', metrics: { currentInputWatermark: 1000, currentOutputWatermark: 1000, numLateRecordsDropped: 4 } },
        ],
      }),
    );
    expect(Object.fromEntries(store)).toEqual({
      currentInputWatermark: '1000',
      currentInput1Watermark: '1000',
      currentInput2Watermark: '3000',
      'Co-Process.currentInputWatermark': '1000',
      'Co-Process.currentInput1Watermark': '1000',
      'Co-Process.currentInput2Watermark': '3000',
      'Co-Process.currentOutputWatermark': '1000',
      'Sink: out.currentInputWatermark': '1000',
      'Sink: out.currentOutputWatermark': '1000',
      'Sink: out.numLateRecordsDropped': '4',
    });
    expect(subtaskMetricStore(execution(undefined)).size).toBe(0);
  });
});
