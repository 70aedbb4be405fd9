import { describe, expect, it } from 'vitest';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import { jobManagerProcessSpec } from '../../../../runtime/config/job-manager-process-spec.ts';
import { jvmHeapSize, taskExecutorProcessSpec } from '../../../../runtime/config/task-executor-process-spec.ts';

const MB = 1024 * 1024;
const inMb = (spec: object) => Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, (v as number) / MB]));

describe('TaskManager memory (FLIP-49)', () => {
  it("splits Flink's shipped 1728m the way Flink's dashboard shows it", () => {
    const spec = taskExecutorProcessSpec(createFlinkConfiguration({ 'taskmanager.memory.process.size': '1728m' }));
    expect(inMb(spec)).toEqual({
      frameworkHeap: 128,
      taskHeap: 384,
      frameworkOffHeap: 128,
      taskOffHeap: 0,
      networkMemory: 128,
      managedMemory: 512,
      jvmMetaspace: 256,
      jvmOverhead: 192,
      totalFlinkMemory: 1280,
      totalProcessMemory: 1728,
    });
    expect(jvmHeapSize(spec)).toBe(512 * MB);
  });

  it('caps overhead and network at their max in a large container', () => {
    const spec = taskExecutorProcessSpec(createFlinkConfiguration({ 'taskmanager.memory.process.size': '16g' }));
    expect(spec.jvmOverhead).toBe(1024 * MB);
    expect(spec.networkMemory).toBe(1024 * MB);
  });

  it('a tiny container with only its process size set still starts: the fixed defaults scale down and the parts add up', () => {
    const spec = taskExecutorProcessSpec(createFlinkConfiguration({ 'taskmanager.memory.process.size': '256m' }));
    const parts = spec.frameworkHeap + spec.taskHeap + spec.frameworkOffHeap + spec.taskOffHeap + spec.networkMemory + spec.managedMemory;
    expect(parts).toBeLessThanOrEqual(spec.totalFlinkMemory);
    expect(spec.totalFlinkMemory + spec.jvmMetaspace + spec.jvmOverhead).toBeLessThanOrEqual(256 * MB);
    expect(jvmHeapSize(spec)).toBeGreaterThan(64 * MB);
  });

  it("explicit sizes that do not fit get Flink's message naming them", () => {
    expect(() =>
      taskExecutorProcessSpec(createFlinkConfiguration({ 'taskmanager.memory.process.size': '256m', 'taskmanager.memory.jvm-metaspace.size': '256m' })),
    ).toThrow(
      'Sum of configured JVM Metaspace (256.000mb (268435456 bytes)) and JVM Overhead (192.000mb (201326592 bytes)) exceed configured Total Process Memory (256.000mb (268435456 bytes)).',
    );
    expect(() => taskExecutorProcessSpec(createFlinkConfiguration({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.task.heap.size': '1g' }))).toThrow(
      'Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Heap Memory (1.000gb (1073741824 bytes)), Task Off-Heap Memory (0 bytes) and Managed Memory (512.000mb (536870912 bytes)) exceed configured Total Flink Memory (1280.000mb (1342177280 bytes)).',
    );
  });

  it('an explicit task heap leaves network memory the rest', () => {
    const spec = taskExecutorProcessSpec(createFlinkConfiguration({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.task.heap.size': '256m' }));
    expect(spec.taskHeap).toBe(256 * MB);
    expect(spec.networkMemory).toBe((1280 - 128 - 128 - 256 - 512) * MB);
  });
});

describe('JobManager memory (FLIP-116)', () => {
  it("gives Flink's shipped 1600m a 1024m heap", () => {
    expect(inMb(jobManagerProcessSpec(createFlinkConfiguration({ 'jobmanager.memory.process.size': '1600m' })))).toEqual({
      jvmHeap: 1024,
      offHeap: 128,
      jvmMetaspace: 256,
      jvmOverhead: 192,
      totalFlinkMemory: 1152,
      totalProcessMemory: 1600,
    });
  });

  it('scales a tiny container, and refuses explicit sizes that do not fit', () => {
    const spec = jobManagerProcessSpec(createFlinkConfiguration({ 'jobmanager.memory.process.size': '256m' }));
    expect(spec.jvmHeap + spec.offHeap + spec.jvmMetaspace + spec.jvmOverhead).toBeLessThanOrEqual(256 * MB);
    expect(() => jobManagerProcessSpec(createFlinkConfiguration({ 'jobmanager.memory.process.size': '256m', 'jobmanager.memory.jvm-metaspace.size': '256m' }))).toThrow(
      /^Sum of configured JVM Metaspace \(256\.000mb \(268435456 bytes\)\) and JVM Overhead/,
    );
  });
});
