import { describe, expect, it } from 'vitest';
import { flinkSubmissionContext } from '../../../../am/flink/yarn-cluster-descriptor.ts';
import { taskManagerLaunchContext } from '../../../../am/flink/task-manager-launch-context.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import { workerSpecFromConfig } from '../../../../runtime/resourcemanager/worker-resource-spec.ts';

describe('container heap limits', () => {
  it("starts the TaskManager with framework + task heap as its Node heap (Flink's -Xmx)", () => {
    const config = createFlinkConfiguration({ 'taskmanager.memory.process.size': '1728m' });
    const context = taskManagerLaunchContext('http://am:8081', workerSpecFromConfig(config), config);
    expect(context.environment).toEqual({ WEFT_NODE_OPTS: '--max-heap-size=512' });
  });

  it("starts the JobManager with its JVM heap, and refuses TaskManager sizes that do not fit with Flink's message", () => {
    const props: [string, string][] = [['jobmanager.memory.process.size', '1600m']];
    const ctx = flinkSubmissionContext('application_1_0001', { mode: 'session', name: 'S', properties: props }, createFlinkConfiguration(props));
    expect(ctx['am-container-spec'].environment).toEqual({ entry: [{ key: 'WEFT_NODE_OPTS', value: '--max-heap-size=1024' }] });
    const bad: [string, string][] = [['taskmanager.memory.process.size', '512m'], ['taskmanager.memory.jvm-overhead.min', '400m']];
    expect(() => flinkSubmissionContext('application_1_0002', { mode: 'session', name: 'S', properties: bad }, createFlinkConfiguration(bad))).toThrow(
      /^Sum of configured JVM Metaspace \(256\.000mb \(268435456 bytes\)\) and JVM Overhead \(400\.000mb \(419430400 bytes\)\) exceed configured Total Process Memory \(512\.000mb/,
    );
  });
});
