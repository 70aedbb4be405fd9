import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Records shared by the Flink-style runtime's processes (reference/flink.md §1). Ids are 32 hex
 * characters like Flink's AbstractID-based ids; a TaskManager's ResourceID is its YARN container id.
 */
export const newFlinkId = (): string => randomBytes(16).toString('hex');
export const FlinkId = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hex characters');

/** ExecutionState, in Flink's REST enum order (flink.md §1.6). Tasks spell CANCELING with one L. */
export const ExecutionState = z.enum(['CREATED', 'SCHEDULED', 'DEPLOYING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED', 'RECONCILING', 'INITIALIZING']);
export type ExecutionState = z.infer<typeof ExecutionState>;

/** JobStatus (flink.md §1.6). Jobs spell CANCELLING with two Ls. */
export const JobStatus = z.enum(['INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED', 'RESTARTING', 'SUSPENDED', 'RECONCILING']);
export type JobStatus = z.infer<typeof JobStatus>;

/**
 * JobStatus.isGloballyTerminalState: a job in one of these is done for the whole cluster (SUSPENDED
 * is only locally terminal: another JobManager may resume it). Takes a string because clients read
 * the status off REST answers.
 */
export const GLOBALLY_TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['FAILED', 'CANCELED', 'FINISHED'];
export const isGloballyTerminal = (status: string): boolean => (GLOBALLY_TERMINAL_JOB_STATUSES as readonly string[]).includes(status);

/** JobStatus.isTerminalState: globally terminal, or SUSPENDED (terminal for this JobManager). */
export const isTerminalJobStatus = (status: string): boolean => isGloballyTerminal(status) || status === 'SUSPENDED';

/** ExecutionState.isTerminal. */
export const TERMINAL_EXECUTION_STATES: readonly ExecutionState[] = ['FINISHED', 'CANCELED', 'FAILED'];
export const isTerminalExecutionState = (state: string): boolean => (TERMINAL_EXECUTION_STATES as readonly string[]).includes(state);

/** JobStatus -> ApplicationStatus -> YARN FinalApplicationStatus (flink.md §1.6, §2.3). */
export function finalApplicationStatusOf(status: JobStatus): 'SUCCEEDED' | 'FAILED' | 'KILLED' | 'UNDEFINED' {
  if (status === 'FINISHED') return 'SUCCEEDED';
  if (status === 'FAILED') return 'FAILED';
  if (status === 'CANCELED') return 'KILLED';
  return 'UNDEFINED';
}

/** ResourceProfile reduced to what weft schedules by. */
export const ResourceProfile = z.object({
  cpuCores: z.number(),
  taskHeapMemoryMb: z.number().int(),
  managedMemoryMb: z.number().int(),
});
export type ResourceProfile = z.infer<typeof ResourceProfile>;
export const ANY_RESOURCE_PROFILE: ResourceProfile = Object.freeze({ cpuCores: 0, taskHeapMemoryMb: 0, managedMemoryMb: 0 });

export const SlotId = z.object({ resourceId: z.string(), slotNumber: z.number().int().min(0) });
export type SlotId = z.infer<typeof SlotId>;

/** One slot in a TaskManager's SlotReport: free, or allocated to a job. */
export const SlotStatus = z.object({
  slotId: SlotId,
  resourceProfile: ResourceProfile,
  allocationId: FlinkId.nullable(),
  jobId: FlinkId.nullable(),
});
export type SlotStatus = z.infer<typeof SlotStatus>;
export const SlotReport = z.array(SlotStatus);
export type SlotReport = z.infer<typeof SlotReport>;

export const SlotOffer = z.object({
  allocationId: FlinkId,
  slotIndex: z.number().int(),
  resourceProfile: ResourceProfile,
});
export type SlotOffer = z.infer<typeof SlotOffer>;

/** A failure as it travels between processes (Flink's SerializedThrowable). */
export const SerializedThrowable = z.object({
  className: z.string(),
  message: z.string(),
  stack: z.string(),
});
export type SerializedThrowable = z.infer<typeof SerializedThrowable>;

export function serializeError(err: unknown): SerializedThrowable {
  if (err instanceof Error) return { className: err.name || 'Error', message: err.message, stack: err.stack ?? `${err.name}: ${err.message}` };
  return { className: 'Error', message: String(err), stack: String(err) };
}

/** IOMetricsInfo (flink.md §6.3) plus the task's time accounting (busy/idle/back-pressured). */
export const TaskIoMetrics = z.object({
  readBytes: z.number(),
  writeBytes: z.number(),
  readRecords: z.number(),
  writeRecords: z.number(),
  accumulatedBusyTimeMs: z.number(),
  accumulatedIdleTimeMs: z.number(),
  accumulatedBackPressuredTimeMs: z.number(),
  busyTimeMsPerSecond: z.number(),
  idleTimeMsPerSecond: z.number(),
  backPressuredTimeMsPerSecond: z.number(),
});
export type TaskIoMetrics = z.infer<typeof TaskIoMetrics>;

/**
 * One input channel of a task as its watermark valve holds it. Watermarks are epoch ms, with the
 * runtime's stand-ins for Long.MIN_VALUE ("none yet") and Long.MAX_VALUE (end of event time).
 */
export const InputChannelWatermark = z.object({
  /** The upstream subtask this channel reads. */
  producerSubtaskIndex: z.number().int(),
  watermark: z.number(),
  status: z.enum(['ACTIVE', 'IDLE', 'ENDED']),
});
export type InputChannelWatermark = z.infer<typeof InputChannelWatermark>;

/**
 * A task's watermarks and operator metrics, carried with its state to the JobMaster (what Flink's
 * MetricFetcher would read from the TaskManager). weft adds what Flink leaves users to work out:
 * every input channel's watermark and status, and which channel holds the task's minimum back.
 */
export const TaskMetricsReport = z.object({
  /** Tasks with inputs only, as Flink registers it: the watermark forwarded to the chain's head. */
  currentInputWatermark: z.number().optional(),
  /** The WatermarkStatus the task announces downstream. */
  watermarkStatus: z.enum(['ACTIVE', 'IDLE']),
  inputs: z.array(z.object({ sourceVertexId: FlinkId, channels: z.array(InputChannelWatermark) })),
  /** The channel (input gate, channel of that gate) the task's watermark waits for, when one does. */
  heldBackBy: z.object({ gate: z.number().int(), channel: z.number().int() }).optional(),
  /** The chained operators, head first: Flink's operator-scope metrics by name. */
  operators: z.array(z.object({ id: z.string(), name: z.string(), metrics: z.record(z.string(), z.number()) })),
});
export type TaskMetricsReport = z.infer<typeof TaskMetricsReport>;

/** Where a TaskManager can be reached: its RPC base URL and its data (record channel) address. */
export const TaskManagerLocation = z.object({
  resourceId: z.string(),
  /** `http://host:port` serving taskExecutorRoutes. */
  address: z.string(),
  /** `host:port` of its record-channel listener (runtime/network). */
  dataAddress: z.string(),
  host: z.string(),
});
export type TaskManagerLocation = z.infer<typeof TaskManagerLocation>;
