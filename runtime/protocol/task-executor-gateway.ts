import { z } from 'zod';
import { createHttpClients } from '../../rm/common/http-client.ts';
import { route, type Client } from '../../rm/common/route.ts';
import { FlinkId, ResourceProfile, SlotId, SlotReport } from './records.ts';
import { TaskExecutionState } from './job-master-gateway.ts';
import { TaskDeploymentDescriptor } from './task-deployment-descriptor.ts';
import { TaskManagerMetricsInfo } from './task-manager-metrics-info.ts';

/**
 * A TaskManager as the Flink RM and JobMasters reach it over HTTP (`/rpc/taskexecutor/*` on the
 * TM's own port), after Flink's TaskExecutorGateway.
 */
export const taskExecutorRoutes = {
  /** RM -> TM: allocate this slot for a job and offer it to that job's JobMaster. */
  requestSlot: route({
    method: 'POST',
    path: '/rpc/taskexecutor/requestSlot',
    body: z.object({
      slotId: SlotId,
      jobId: FlinkId,
      allocationId: FlinkId,
      resourceProfile: ResourceProfile,
      targetAddress: z.string(),
      resourceManagerId: FlinkId,
    }),
    response: z.object({}),
    status: 200,
    semantics: 'idempotent',
  }),
  submitTask: route({
    method: 'POST',
    path: '/rpc/taskexecutor/submitTask',
    body: z.object({ tdd: TaskDeploymentDescriptor, jobMasterId: FlinkId }),
    response: z.object({}),
    status: 200,
    semantics: 'atMostOnce',
  }),
  cancelTask: route({
    method: 'POST',
    path: '/rpc/taskexecutor/cancelTask',
    body: z.object({ executionAttemptId: FlinkId }),
    response: z.object({}),
    status: 200,
    semantics: 'idempotent',
  }),
  freeSlot: route({
    method: 'POST',
    path: '/rpc/taskexecutor/freeSlot',
    body: z.object({ allocationId: FlinkId, cause: z.string() }),
    response: z.object({}),
    status: 200,
    semantics: 'idempotent',
  }),
  /** RM -> TM heartbeat request; the answer carries the slot report and the TM's memory and buffer figures. */
  heartbeatFromResourceManager: route({
    method: 'POST',
    path: '/rpc/taskexecutor/heartbeatFromResourceManager',
    body: z.object({ resourceManagerId: FlinkId }),
    response: z.object({ slotReport: SlotReport, metrics: TaskManagerMetricsInfo.optional() }),
    status: 200,
    semantics: 'idempotent',
  }),
  /** JM -> TM heartbeat request; the answer carries that job's execution states. */
  heartbeatFromJobManager: route({
    method: 'POST',
    path: '/rpc/taskexecutor/heartbeatFromJobManager',
    body: z.object({ jobId: FlinkId }),
    response: z.object({ executions: z.array(TaskExecutionState) }),
    status: 200,
    semantics: 'idempotent',
  }),
  disconnectJobManager: route({
    method: 'POST',
    path: '/rpc/taskexecutor/disconnectJobManager',
    body: z.object({ jobId: FlinkId, cause: z.string() }),
    response: z.object({}),
    status: 200,
    semantics: 'idempotent',
  }),
};

/**
 * TaskExecutorGateway, the one interface the Flink RM and JobMasters hold of a TaskManager: the
 * HTTP client below, the TaskExecutor's in-process one (TaskExecutor.inProcessGateway) and
 * tests' TaskManagers all are it.
 */
export type TaskExecutorGateway = Client<typeof taskExecutorRoutes>;

/** Reaches the TaskManager serving taskExecutorRoutes at `address` (its RPC base URL). */
export type TaskExecutorGatewayFactory = (address: string) => TaskExecutorGateway;

/** HTTP clients, one per TaskManager address, with a bounded timeout so a hung TM shows as a failed RPC. */
export function httpTaskExecutorGateways(timeoutMs = 10_000): TaskExecutorGatewayFactory {
  return createHttpClients(taskExecutorRoutes, { timeoutMs, retries: 1 });
}
