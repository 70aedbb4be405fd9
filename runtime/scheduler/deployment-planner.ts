import type { ExecutionGraph } from '../executiongraph/execution-graph.ts';
import type { ExecutionJobVertex } from '../executiongraph/execution-job-vertex.ts';
import type { ExecutionVertex } from '../executiongraph/execution-vertex.ts';
import { jobGraphFingerprint } from '../jobgraph/job-graph.ts';
import { computeKeyGroupRangeForOperatorIndex } from '../jobgraph/key-groups.ts';
import { connectedConsumers, connectedProducers } from '../jobgraph/partitioner.ts';
import type { InputGateDescriptor, ResultPartitionDescriptor, TaskDeploymentDescriptor } from '../protocol/task-deployment-descriptor.ts';

export interface DeploymentContext {
  readonly graph: ExecutionGraph;
  readonly jobMasterAddress: string;
  readonly bufferTimeoutMs: number;
}

/**
 * Builds the TaskDeploymentDescriptor of one subtask's current attempt. Its producers must have
 * been given slots first (deploy in topological order): each input channel names the producing
 * attempt's result partition and the TaskManager it runs on.
 *
 * Subpartitions: a producer's result partition for an edge has one subpartition per consumer it is
 * connected to (all consumers, or its pointwise subset), in ascending consumer order, so consumer j
 * reads subpartition `connectedConsumers(producer).indexOf(j)` — j itself for all-to-all edges
 * (REBALANCE, HASH, BROADCAST), 0 for FORWARD between equal parallelisms.
 */
export function createTaskDeploymentDescriptor(ctx: DeploymentContext, jobVertex: ExecutionJobVertex, vertex: ExecutionVertex): TaskDeploymentDescriptor {
  const { graph } = ctx;
  const execution = vertex.currentExecution;
  if (!execution.slot) throw new Error(`${vertex.taskName} has no slot`);
  const edges = graph.jobGraph.edges;
  const inputGates: InputGateDescriptor[] = [];
  const resultPartitions: ResultPartitionDescriptor[] = [];
  edges.forEach((edge, edgeIndex) => {
    if (edge.target === jobVertex.id) {
      const producer = graph.getJobVertex(edge.source);
      if (!producer) throw new Error(`edge from unknown vertex ${edge.source}`);
      const channels = connectedProducers(edge.partitioner, producer.parallelism, jobVertex.parallelism, vertex.subtaskIndex).map((p) => {
        const producerExecution = producer.taskVertices[p]?.currentExecution;
        if (!producerExecution?.slot) throw new Error(`producer ${producer.name} (${p + 1}/${producer.parallelism}) is not deployed before ${vertex.taskName}`);
        return {
          partitionId: producerExecution.partitionFor(edgeIndex),
          producerSubtaskIndex: p,
          subpartitionIndex: connectedConsumers(edge.partitioner, producer.parallelism, jobVertex.parallelism, p).indexOf(vertex.subtaskIndex),
          location: producerExecution.slot.location,
        };
      });
      inputGates.push({ sourceVertexId: edge.source, partitioner: edge.partitioner, channels, ...(edge.typeNumber === undefined ? {} : { typeNumber: edge.typeNumber }) });
    }
    if (edge.source === jobVertex.id) {
      const consumer = graph.getJobVertex(edge.target);
      if (!consumer) throw new Error(`edge to unknown vertex ${edge.target}`);
      resultPartitions.push({
        partitionId: execution.partitionFor(edgeIndex),
        targetVertexId: edge.target,
        partitioner: edge.partitioner,
        numberOfSubpartitions: connectedConsumers(edge.partitioner, jobVertex.parallelism, consumer.parallelism, vertex.subtaskIndex).length,
      });
    }
  });
  const range = computeKeyGroupRangeForOperatorIndex(jobVertex.maxParallelism, jobVertex.parallelism, vertex.subtaskIndex);
  return {
    jobId: graph.jobId,
    jobName: graph.jobName,
    jobVertexId: jobVertex.id,
    taskName: vertex.taskName,
    executionAttemptId: execution.attemptId,
    attemptNumber: execution.attemptNumber,
    subtaskIndex: vertex.subtaskIndex,
    parallelism: jobVertex.parallelism,
    maxParallelism: jobVertex.maxParallelism,
    keyGroupRange: { start: range.startKeyGroup, end: range.endKeyGroup },
    allocationId: execution.slot.allocationId,
    jobFile: graph.jobFile,
    jobInformation: {
      executionConfig: graph.jobGraph.executionConfig ?? { parallelism: 1 },
      jobConfiguration: graph.jobGraph.jobConfiguration ?? {},
      graphFingerprint: jobGraphFingerprint(graph.jobGraph),
    },
    operatorIds: jobVertex.jobVertex.operators.map((o) => o.id),
    inputGates,
    resultPartitions,
    jobMasterAddress: ctx.jobMasterAddress,
    bufferTimeoutMs: ctx.bufferTimeoutMs,
  };
}
