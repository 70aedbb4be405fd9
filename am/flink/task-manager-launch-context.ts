import type { ContainerLaunchContext } from '../../rm/protocol/records.ts';
import { toDynamicProperties, type FlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import { MB } from '../../runtime/config/process-memory.ts';
import { jvmHeapSize, taskExecutorProcessSpec } from '../../runtime/config/task-executor-process-spec.ts';
import type { WorkerResourceSpec } from '../../runtime/resourcemanager/worker-resource-spec.ts';

/** Quotes one shell word unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The TaskManager container's launch context (the process contract with runtime/taskexecutor):
 *   {{WEFT_HOME}}/bin/weft-run {{WEFT_HOME}}/runtime/taskexecutor/main.ts --jm <JobManager URL>
 *     --slots <n> --memory <MB> --conf k=v ... --conf taskmanager.log.path=<LOG_DIR>/taskmanager.log
 *     1><LOG_DIR>/taskmanager.out 2><LOG_DIR>/taskmanager.err
 * as Flink's YARN TaskManager command (`-Dlog.file=<LOG_DIR>/taskmanager.log ... 1> .out 2> .err`):
 * the logger writes taskmanager.log, print() and user code's stdout go to taskmanager.out.
 * The TaskManager's resource id is its container id (env CONTAINER_ID, set by the NodeManager).
 * Its Node heap is limited to framework + task heap (WEFT_NODE_OPTS=--max-heap-size, Flink's -Xmx).
 */
export function taskManagerLaunchContext(jobManagerUrl: string, spec: WorkerResourceSpec, config: FlinkConfiguration): ContainerLaunchContext {
  const args = [
    '--jm',
    jobManagerUrl,
    '--slots',
    String(spec.numberOfSlots),
    '--memory',
    String(spec.memoryMb),
    ...toDynamicProperties(config),
    ...(config['taskmanager.log.path'] === undefined ? ['--conf', 'taskmanager.log.path=<LOG_DIR>/taskmanager.log'] : []),
  ].map(shellQuote);
  const command = [
    '{{WEFT_HOME}}/bin/weft-run',
    '{{WEFT_HOME}}/runtime/taskexecutor/main.ts',
    ...args,
    '1><LOG_DIR>/taskmanager.out',
    '2><LOG_DIR>/taskmanager.err',
  ].join(' ');
  const heap = nodeHeapOptions(jvmHeapSize(taskExecutorProcessSpec(config)));
  return { commands: [command], environment: { WEFT_NODE_OPTS: heap }, localResources: {}, applicationACLs: {} };
}

/** bin/weft-run's WEFT_NODE_OPTS for a heap of this many bytes (whole MB, as V8 takes it). */
export function nodeHeapOptions(heapBytes: number): string {
  return `--max-heap-size=${Math.max(1, Math.floor(heapBytes / MB))}`;
}
