import type { Gauge } from 'prom-client';
import type { Labels, Registry, Sample } from '../../rm/common/prometheus.ts';
import type { GarbageCollectors } from './garbage-collectors.ts';
import { processMemory } from './process-memory.ts';

/**
 * Flink's PrometheusReporter conventions: a metric's scope and name joined by `_` under `flink_`
 * (`flink_taskmanager_job_task_numRecordsIn`), every character outside `[a-zA-Z0-9:_]` replaced by
 * `_` in names and label values (`filterLabelValueCharacters`, on by default), and every metric a
 * gauge, counters included (Flink counters may go down), so dashboards for Flink read weft's.
 */
export const replaceInvalidChars = (s: string): string => s.replace(/[^a-zA-Z0-9:_]/g, '_');

export interface FlinkMetricSpec {
  /** Scope and name as Flink spells them, e.g. `taskmanager.Status.JVM.Memory.Heap.Used`. */
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** May answer asynchronously (snapshots read through a gateway). */
  readonly read: () => Iterable<Sample> | Promise<Iterable<Sample>>;
}

export function flinkGauge(registry: Registry, spec: FlinkMetricSpec): void {
  registry.define((client, promRegistry) => {
    new client.Gauge({
      name: `flink_${spec.name.split('.').map(replaceInvalidChars).join('_')}`,
      help: spec.help,
      labelNames: [...spec.labelNames],
      registers: [promRegistry],
      async collect(this: Gauge<string>) {
        const samples = await spec.read();
        this.reset();
        for (const s of samples) this.set(filterLabels(s.labels), s.value);
      },
    });
  });
}

function filterLabels(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) out[k] = replaceInvalidChars(v);
  return out;
}

/**
 * The process status as Flink's `Status.JVM.*` figures (see processMemory for what stands for the
 * JVM's pools), and each garbage collector's Count and Time when the process counts them.
 */
export function registerProcessStatus(registry: Registry, scope: 'jobmanager' | 'taskmanager', labels: () => Labels, gc?: GarbageCollectors): void {
  const names = Object.keys(labels());
  const gauge = (name: string, help: string, value: () => number): void =>
    flinkGauge(registry, { name: `${scope}.Status.${name}`, help, labelNames: names, read: () => [{ labels: labels(), value: value() }] });
  gauge('JVM.Memory.Heap.Used', 'Heap memory used, in bytes (the V8 heap).', () => processMemory().heapUsed);
  gauge('JVM.Memory.Heap.Committed', 'Heap memory committed, in bytes (the V8 heap).', () => processMemory().heapCommitted);
  gauge('JVM.Memory.Heap.Max', 'The largest the heap may grow, in bytes (the V8 heap limit).', () => processMemory().heapMax);
  gauge('JVM.Memory.NonHeap.Used', 'Memory in use outside the heap, in bytes (external memory and array buffers).', () => processMemory().nonHeapUsed);
  gauge('JVM.Memory.NonHeap.Committed', 'Memory committed outside the heap, in bytes.', () => processMemory().nonHeapCommitted);
  gauge('JVM.Memory.NonHeap.Max', 'The limit of non-heap memory; -1: none.', () => processMemory().nonHeapMax);
  gauge('JVM.Memory.Direct.MemoryUsed', 'Memory of the direct buffers (ArrayBuffers), in bytes.', () => processMemory().directUsed);
  gauge('JVM.Memory.Direct.TotalCapacity', 'Capacity of the direct buffers (ArrayBuffers), in bytes.', () => processMemory().directMax);
  gauge('JVM.CPU.Time', 'CPU time used by the process, in nanoseconds.', () => {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000;
  });
  gauge('ProcessTree.Memory.RSS', 'Resident set size of the process, in bytes.', () => processMemory().rss);
  if (!gc) return;
  for (const { name } of gc.snapshot()) {
    const totals = (): { count: number; time: number } => gc.snapshot().find((c) => c.name === name) ?? { count: 0, time: 0 };
    gauge(`JVM.GarbageCollector.${name}.Count`, `Collections by ${name}.`, () => totals().count);
    gauge(`JVM.GarbageCollector.${name}.Time`, `Milliseconds spent in ${name}.`, () => totals().time);
  }
}
