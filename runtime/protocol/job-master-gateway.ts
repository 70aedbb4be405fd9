import { z } from 'zod';
import { createHttpClients } from '../../rm/common/http-client.ts';
import { route, type Client } from '../../rm/common/route.ts';
import { ExecutionState, FlinkId, SerializedThrowable, SlotOffer, TaskIoMetrics, TaskManagerLocation, TaskMetricsReport } from './records.ts';

/**
 * A JobMaster as TaskManagers reach it over HTTP (`/rpc/jobmaster/:jobId/*` on the JobManager's
 * port), after Flink's JobMasterGateway. Each call names the job; a call for a job the
 * JobManager does not run is refused.
 */
const JobParams = z.object({ jobId: FlinkId });

export const TaskExecutionState = z.object({
  executionAttemptId: FlinkId,
  state: ExecutionState,
  error: SerializedThrowable.optional(),
  ioMetrics: TaskIoMetrics.optional(),
  metrics: TaskMetricsReport.optional(),
});
export type TaskExecutionState = z.infer<typeof TaskExecutionState>;

export const jobMasterRoutes = {
  registerTaskManager: route({
    method: 'POST',
    path: '/rpc/jobmaster/:jobId/registerTaskManager',
    params: JobParams,
    body: z.object({ location: TaskManagerLocation }),
    response: z.object({ jobMasterId: FlinkId }),
    status: 200,
    semantics: 'idempotent',
  }),
  /** Returns the offers the JobMaster accepted; the TM frees the rest. */
  offerSlots: route({
    method: 'POST',
    path: '/rpc/jobmaster/:jobId/offerSlots',
    params: JobParams,
    body: z.object({ resourceId: z.string(), offers: z.array(SlotOffer) }),
    response: z.object({ accepted: z.array(FlinkId) }),
    status: 200,
    semantics: 'idempotent',
  }),
  updateTaskExecutionState: route({
    method: 'POST',
    path: '/rpc/jobmaster/:jobId/updateTaskExecutionState',
    params: JobParams,
    body: TaskExecutionState,
    response: z.object({ acknowledged: z.boolean() }),
    status: 200,
    semantics: 'idempotent',
  }),
  /** TM -> JM heartbeat with the states and metrics of its executions for this job. */
  heartbeatFromTaskManager: route({
    method: 'POST',
    path: '/rpc/jobmaster/:jobId/heartbeatFromTaskManager',
    params: JobParams,
    body: z.object({ resourceId: z.string(), executions: z.array(TaskExecutionState) }),
    response: z.object({ known: z.boolean() }),
    status: 200,
    semantics: 'idempotent',
  }),
  /** Records of a collect sink (`DataStream.collect(name)`), shipped to the JobManager in batches. */
  addCollectResults: route({
    method: 'POST',
    path: '/rpc/jobmaster/:jobId/addCollectResults',
    params: JobParams,
    body: z.object({ executionAttemptId: FlinkId, sinkName: z.string(), records: z.array(z.unknown()) }),
    response: z.object({}),
    status: 200,
    semantics: 'atMostOnce',
  }),
  disconnectTaskManager: route({
    method: 'POST',
    path: '/rpc/jobmaster/:jobId/disconnectTaskManager',
    params: JobParams,
    body: z.object({ resourceId: z.string(), cause: z.string() }),
    response: z.object({}),
    status: 200,
    semantics: 'idempotent',
  }),
};

/**
 * JobMasterGateway, the one interface a TaskManager holds of the JobMasters of a JobManager (each
 * call names its job): the HTTP client below, the Dispatcher's in-process one
 * (Dispatcher.jobMasterGateway) and tests' JobMasters all are it.
 */
export type JobMasterGateway = Client<typeof jobMasterRoutes>;

/** Reaches the JobManager serving jobMasterRoutes at `address` (its base URL). */
export type JobMasterGatewayFactory = (address: string) => JobMasterGateway;

export interface HttpJobMasterGatewayOptions {
  readonly timeoutMs?: number;
  /** How often a safe or idempotent call is retried when the JobManager cannot be reached (2 unless said). */
  readonly retries?: number;
}

/** HTTP clients, one per JobManager address. */
export function httpJobMasterGateways(options: HttpJobMasterGatewayOptions = {}): JobMasterGatewayFactory {
  return createHttpClients(jobMasterRoutes, { timeoutMs: options.timeoutMs ?? 10_000, ...(options.retries !== undefined ? { retries: options.retries } : {}) });
}
