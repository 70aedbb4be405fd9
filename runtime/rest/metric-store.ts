import type { ArchivedExecution, ArchivedExecutionJobVertex } from '../executiongraph/archived-execution-graph.ts';
import { MAX_WATERMARK, NO_TIMESTAMP } from '../streaming/stream-element.ts';

/** One subtask's metrics by Flink's metric-store key (`numRecordsIn`, `<operator>.currentOutputWatermark`), values as strings. */
export type SubtaskMetricStore = ReadonlyMap<string, string>;

/**
 * A long as Flink prints it. The runtime's stand-ins for Long.MIN_VALUE ("no watermark") and
 * Long.MAX_VALUE (end of event time) print as the Java values, so scripts that compare against
 * `-9223372036854775808` keep working.
 */
export function formatLong(n: number): string {
  if (n <= NO_TIMESTAMP) return '-9223372036854775808';
  if (n >= MAX_WATERMARK) return '9223372036854775807';
  return String(n);
}

const WATERMARK_METRIC = /Watermark$/;

/** Task-scope I/O metrics by Flink's names, from the task's reported IOMetrics. */
const IO_METRICS = [
  ['numRecordsIn', (m) => m.readRecords],
  ['numRecordsOut', (m) => m.writeRecords],
  ['numBytesIn', (m) => m.readBytes],
  ['numBytesOut', (m) => m.writeBytes],
  ['busyTimeMsPerSecond', (m) => m.busyTimeMsPerSecond],
  ['idleTimeMsPerSecond', (m) => m.idleTimeMsPerSecond],
  ['backPressuredTimeMsPerSecond', (m) => m.backPressuredTimeMsPerSecond],
  ['accumulatedBusyTime', (m) => m.accumulatedBusyTimeMs],
  ['accumulatedIdleTime', (m) => m.accumulatedIdleTimeMs],
  ['accumulatedBackPressuredTime', (m) => m.accumulatedBackPressuredTimeMs],
] as const satisfies readonly (readonly [string, (m: NonNullable<ArchivedExecution['ioMetrics']>) => number])[];

/**
 * What Flink's MetricStore holds for one subtask (its ComponentMetricStore): the task's metrics by
 * name and each chained operator's as `<operator name>.<metric>`, from what the task last
 * reported with its state. A subtask that reported nothing yet has none.
 */
export function subtaskMetricStore(e: ArchivedExecution): SubtaskMetricStore {
  const out = new Map<string, string>();
  const io = e.ioMetrics;
  if (io) for (const [name, read] of IO_METRICS) out.set(name, String(read(io)));
  const m = e.metrics;
  if (m) {
    if (m.currentInputWatermark !== undefined) out.set('currentInputWatermark', formatLong(m.currentInputWatermark));
    // A two-input task registers its head's per-input watermarks at task scope too, as Flink's TwoInputStreamTask does.
    const head = m.operators[0]?.metrics;
    for (const name of ['currentInput1Watermark', 'currentInput2Watermark']) {
      const w = head?.[name];
      if (w !== undefined) out.set(name, formatLong(w));
    }
    for (const op of m.operators) {
      for (const [name, value] of Object.entries(op.metrics)) out.set(`${op.name}.${name}`, WATERMARK_METRIC.test(name) ? formatLong(value) : String(value));
    }
  }
  return out;
}

/** Flink's TaskMetricStore of a vertex: every subtask's metrics, keyed `<subtask>.<metric>`. */
export function taskMetricStore(jv: ArchivedExecutionJobVertex): SubtaskMetricStore {
  const out = new Map<string, string>();
  for (const v of jv.taskVertices) for (const [k, value] of subtaskMetricStore(v.currentExecution)) out.set(`${v.subtaskIndex}.${k}`, value);
  return out;
}
