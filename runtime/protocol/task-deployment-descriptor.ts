import { z } from 'zod';
import { ExecutionConfigSchema } from '../jobgraph/job-graph.ts';
import { PARTITIONERS } from '../jobgraph/partitioner.ts';
import { FlinkId, TaskManagerLocation } from './records.ts';

/** The jobgraph's partitioners, as the wire spells them. */
const PartitionerSchema = z.enum(PARTITIONERS);

/**
 * What a TaskManager needs to run one subtask (Flink's TaskDeploymentDescriptor): which job file
 * to load, with which arguments and defaults (every process builds the same graph from the same
 * compiled file; no function travels as text), which chain of operators this vertex runs, where
 * its input comes from and how its output is partitioned.
 */

export const JobFileRef = z.object({
  /** Blob key the JobManager serves the file under (`GET /rpc/blob/:key`). */
  blobKey: z.string(),
  /** File name as stored, e.g. `word-count.mjs`: a compiled job file (runtime/api/job-file-compiler.ts). */
  fileName: z.string(),
  args: z.array(z.string()),
});
export type JobFileRef = z.infer<typeof JobFileRef>;

/**
 * The job as the JobManager built it (Flink's JobInformation): the environment defaults and job
 * configuration to load the job file with, and a fingerprint of the resulting graph, so a
 * TaskManager builds exactly the JobManager's graph or says that it could not.
 */
export const JobInformation = z.object({
  executionConfig: ExecutionConfigSchema,
  jobConfiguration: z.record(z.string(), z.string()),
  /** jobGraphFingerprint() of the JobManager's graph. */
  graphFingerprint: z.string(),
});
export type JobInformation = z.infer<typeof JobInformation>;

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
  partitioner: PartitionerSchema,
  channels: z.array(InputChannelDescriptor),
  /** Which input of a two-input head the gate feeds, 1 or 2 (its JobEdge's typeNumber); absent otherwise. */
  typeNumber: z.union([z.literal(1), z.literal(2)]).optional(),
});
export type InputGateDescriptor = z.infer<typeof InputGateDescriptor>;

export const ResultPartitionDescriptor = z.object({
  partitionId: FlinkId,
  /** The downstream JobVertex. */
  targetVertexId: FlinkId,
  partitioner: PartitionerSchema,
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
  jobInformation: JobInformation,
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
