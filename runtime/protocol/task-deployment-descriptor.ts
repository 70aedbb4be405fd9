import { z } from 'zod';
import { FlinkId, TaskManagerLocation } from './records.ts';

/**
 * What a TaskManager needs to run one subtask (Flink's TaskDeploymentDescriptor): which job file
 * to load and with which arguments (every process builds the same graph from the same file; no
 * function travels as text), which chain of operators this vertex runs, where its input comes
 * from and how its output is partitioned.
 */
export const Partitioner = z.enum(['FORWARD', 'REBALANCE', 'HASH', 'BROADCAST', 'RESCALE']);
export type Partitioner = z.infer<typeof Partitioner>;

export const JobFileRef = z.object({
  /** Blob key the JobManager serves the file under (`GET /rpc/blob/:key`). */
  blobKey: z.string(),
  /** File name as uploaded, e.g. `word-count.ts`; its extension decides how it is loaded. */
  fileName: z.string(),
  args: z.array(z.string()),
});
export type JobFileRef = z.infer<typeof JobFileRef>;

/** One producer subtask feeding this subtask's input gate. */
export const InputChannelDescriptor = z.object({
  /** Result partition of the producing execution attempt. */
  partitionId: FlinkId,
  producerSubtaskIndex: z.number().int(),
  /** Subpartition of that partition this consumer reads: its position among the producer's consumers (0 on a FORWARD edge). */
  subpartitionIndex: z.number().int(),
  /** The producer's TaskManager; the consumer uses a local channel when it is its own. */
  location: TaskManagerLocation,
});

export const InputGateDescriptor = z.object({
  /** The upstream JobVertex. */
  sourceVertexId: FlinkId,
  partitioner: Partitioner,
  channels: z.array(InputChannelDescriptor),
});
export type InputGateDescriptor = z.infer<typeof InputGateDescriptor>;

export const ResultPartitionDescriptor = z.object({
  partitionId: FlinkId,
  /** The downstream JobVertex. */
  targetVertexId: FlinkId,
  partitioner: Partitioner,
  numberOfSubpartitions: z.number().int(),
});
export type ResultPartitionDescriptor = z.infer<typeof ResultPartitionDescriptor>;

export const TaskDeploymentDescriptor = z.object({
  jobId: FlinkId,
  jobName: z.string(),
  jobVertexId: FlinkId,
  taskName: z.string(),
  executionAttemptId: FlinkId,
  attemptNumber: z.number().int(),
  subtaskIndex: z.number().int(),
  parallelism: z.number().int(),
  maxParallelism: z.number().int(),
  /** Inclusive key-group range this subtask owns (flink.md §5.2). */
  keyGroupRange: z.object({ start: z.number().int(), end: z.number().int() }),
  allocationId: FlinkId,
  jobFile: JobFileRef,
  /** Operator ids of the chain, head first, as the job file's graph names them. */
  operatorIds: z.array(z.string()),
  inputGates: z.array(InputGateDescriptor),
  resultPartitions: z.array(ResultPartitionDescriptor),
  /** The JobMaster this task reports to (`http://host:port`). */
  jobMasterAddress: z.string(),
  /** Flink's execution.buffer-timeout in ms. */
  bufferTimeoutMs: z.number().int().default(100),
});
export type TaskDeploymentDescriptor = z.infer<typeof TaskDeploymentDescriptor>;
