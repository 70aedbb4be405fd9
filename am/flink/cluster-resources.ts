import type { Resource } from '../../rm/protocol/records.ts';
import type { FlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import { workerSpecFromConfig } from '../../runtime/resourcemanager/worker-resource-spec.ts';
import { YarnDeploymentException } from './yarn-deployment-exception.ts';

const NOTE = "Please check the 'yarn.scheduler.maximum-allocation-mb' and the 'yarn.nodemanager.resource.memory-mb' configuration values";

const fmt = (r: Resource): string => `<memory:${r.memory}, vCores:${r.vCores}>`;

/**
 * Flink's YarnClusterDescriptor checks before it deploys (validateClusterResources and the vcore
 * checks of isReadyForDeployment): the JobManager's AM container and one TaskManager container
 * must each fit YARN's maximum allocation (the `maximum-resource-capability` of
 * new-application), else the cluster would wait for them forever. Throws Flink's message.
 */
export function validateClusterResources(config: FlinkConfiguration, maximum: Resource): void {
  const jobManager: Resource = { memory: config['jobmanager.memory.process.size'], vCores: config['yarn.appmaster.vcores'] };
  const worker = workerSpecFromConfig(config);
  const taskManager: Resource = { memory: worker.memoryMb, vCores: worker.cpuCores };
  if (jobManager.memory > maximum.memory) {
    throw new YarnDeploymentException(
      `The cluster does not have the requested resources for the JobManager available!\n` +
        `Maximum Memory: ${maximum.memory}MB Requested: ${jobManager.memory}MB. ${NOTE}\n` +
        `The JobManager container ${fmt(jobManager)} is larger than the maximum allocation ${fmt(maximum)}: lower --jm-memory (jobmanager.memory.process.size).`,
    );
  }
  if (taskManager.memory > maximum.memory) {
    throw new YarnDeploymentException(
      `The cluster does not have the requested resources for the TaskManagers available!\n` +
        `Maximum Memory: ${maximum.memory} Requested: ${taskManager.memory}MB. ${NOTE}\n` +
        `The TaskManager container ${fmt(taskManager)} is larger than the maximum allocation ${fmt(maximum)}: lower --tm-memory (taskmanager.memory.process.size).`,
    );
  }
  if (jobManager.vCores > maximum.vCores) {
    throw new YarnDeploymentException(
      `The number of requested virtual cores for application master ${jobManager.vCores} exceeds the maximum number of virtual cores ${maximum.vCores} available in the Yarn Cluster.`,
    );
  }
  if (taskManager.vCores > maximum.vCores) {
    throw new YarnDeploymentException(
      `The number of requested virtual cores per node ${taskManager.vCores} exceeds the maximum number of virtual cores ${maximum.vCores} available in the Yarn Cluster. ` +
        `Please note that the number of virtual cores is set to the number of task slots by default unless configured in the Flink config with 'yarn.containers.vcores.'`,
    );
  }
}
