import { describe, expect, it } from 'vitest';
import { validateClusterResources } from '../../../../am/flink/cluster-resources.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';

const MAX = { memory: 8192, vCores: 8 };
const check = (props: Record<string, string>) => () => validateClusterResources(createFlinkConfiguration(props), MAX);

describe("the client's check of the cluster's maximum allocation (YarnClusterDescriptor)", () => {
  it("passes Flink's defaults and containers exactly as large as the maximum", () => {
    expect(check({})).not.toThrow();
    expect(check({ 'taskmanager.memory.process.size': '8g', 'jobmanager.memory.process.size': '8192m', 'taskmanager.numberOfTaskSlots': '8' })).not.toThrow();
  });

  it('refuses a TaskManager larger than the maximum allocation, in Flink’s words', () => {
    expect(check({ 'taskmanager.memory.process.size': '10000m' })).toThrow(
      'The cluster does not have the requested resources for the TaskManagers available!\n' +
        "Maximum Memory: 8192 Requested: 10000MB. Please check the 'yarn.scheduler.maximum-allocation-mb' and the 'yarn.nodemanager.resource.memory-mb' configuration values\n" +
        'The TaskManager container <memory:10000, vCores:1> is larger than the maximum allocation <memory:8192, vCores:8>: lower --tm-memory (taskmanager.memory.process.size).',
    );
  });

  it('refuses a JobManager larger than the maximum allocation', () => {
    expect(check({ 'jobmanager.memory.process.size': '9g' })).toThrow(/^The cluster does not have the requested resources for the JobManager available!\nMaximum Memory: 8192MB Requested: 9216MB\. /);
  });

  it('refuses more vcores than a container may have: slots by default, or yarn.containers.vcores', () => {
    expect(check({ 'taskmanager.numberOfTaskSlots': '12' })).toThrow(/^The number of requested virtual cores per node 12 exceeds the maximum number of virtual cores 8 available in the Yarn Cluster\./);
    expect(check({ 'taskmanager.numberOfTaskSlots': '12', 'yarn.containers.vcores': '4' })).not.toThrow();
    expect(check({ 'yarn.appmaster.vcores': '9' })).toThrow(/^The number of requested virtual cores for application master 9 exceeds the maximum number of virtual cores 8/);
  });
});
