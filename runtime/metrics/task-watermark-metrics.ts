import type { Labels, Registry, Sample } from '../../rm/common/prometheus.ts';
import type { TaskMetricsReport } from '../protocol/records.ts';
import { MAX_WATERMARK, NO_TIMESTAMP } from '../streaming/stream-element.ts';
import { flinkGauge } from './flink-prometheus.ts';

/** The deployed tasks as the TaskManager's registry sees them, with Flink's task-scope labels. */
export interface WatermarkMetricsSources<T> {
  readonly tasks: () => Iterable<T>;
  readonly report: (task: T) => TaskMetricsReport | undefined;
  readonly taskLabelNames: readonly string[];
  readonly taskLabels: (task: T) => Labels;
}

/** As Flink's reporter exports a long gauge: "none yet" is Long.MIN_VALUE, the end of event time Long.MAX_VALUE. */
function watermarkValue(w: number): number {
  if (w <= NO_TIMESTAMP) return -(2 ** 63);
  if (w >= MAX_WATERMARK) return 2 ** 63 - 1;
  return w;
}

const OPERATOR_METRICS: readonly [name: string, help: string][] = [
  ['currentInputWatermark', 'The last watermark this operator received, in ms (Long.MIN_VALUE before the first).'],
  ['currentOutputWatermark', 'The last watermark this operator emitted, in ms (Long.MIN_VALUE before the first).'],
  ['currentInput1Watermark', 'A two-input operator: the last watermark of its first input, in ms.'],
  ['currentInput2Watermark', 'A two-input operator: the last watermark of its second input, in ms.'],
  ['numLateRecordsDropped', 'Records a window operator dropped because every window they belong to was past its allowed lateness.'],
];

/**
 * The TaskManager's watermark gauges, Flink's names and labels: `taskmanager.job.task.currentInputWatermark`
 * per task with inputs, and per chained operator `taskmanager.job.task.operator.{currentInputWatermark,
 * currentOutputWatermark, numLateRecordsDropped}` (the last one for window operators). Read at scrape time.
 */
export function registerWatermarkMetrics<T>(registry: Registry, sources: WatermarkMetricsSources<T>): void {
  // Flink's operator-scope reporter variables: the task's plus the operator's.
  const operatorLabels = [...sources.taskLabelNames, 'operator_id', 'operator_name'];
  flinkGauge(registry, {
    name: 'taskmanager.job.task.currentInputWatermark',
    help: 'The watermark this task forwarded to its operators, in ms: the minimum over its active input channels (Long.MIN_VALUE before the first).',
    labelNames: sources.taskLabelNames,
    *read(): Iterable<Sample> {
      for (const task of sources.tasks()) {
        const w = sources.report(task)?.currentInputWatermark;
        if (w !== undefined) yield { labels: sources.taskLabels(task), value: watermarkValue(w) };
      }
    },
  });
  for (const [name, help] of OPERATOR_METRICS) {
    const watermark = name.endsWith('Watermark');
    flinkGauge(registry, {
      name: `taskmanager.job.task.operator.${name}`,
      help,
      labelNames: operatorLabels,
      *read(): Iterable<Sample> {
        for (const task of sources.tasks()) {
          for (const op of sources.report(task)?.operators ?? []) {
            const value = op.metrics[name];
            if (value === undefined) continue;
            yield { labels: { ...sources.taskLabels(task), operator_id: op.id, operator_name: op.name }, value: watermark ? watermarkValue(value) : value };
          }
        }
      },
    });
  }
}
