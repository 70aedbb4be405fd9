import { createHttpClient } from '../../rm/common/http-client.ts';
import { jobMasterRoutes, type TaskExecutionState } from '../protocol/job-master-gateway.ts';
import type { SlotOffer, TaskManagerLocation } from '../protocol/records.ts';

/** One job's JobMaster as this TaskManager calls it (jobMasterRoutes, bound to the job id). */
export interface JobMasterGateway {
  registerTaskManager(location: TaskManagerLocation): Promise<{ jobMasterId: string }>;
  offerSlots(resourceId: string, offers: readonly SlotOffer[]): Promise<readonly string[]>;
  updateTaskExecutionState(state: TaskExecutionState): Promise<boolean>;
  heartbeatFromTaskManager(resourceId: string, executions: readonly TaskExecutionState[]): Promise<boolean>;
  addCollectResults(executionAttemptId: string, sinkName: string, records: readonly unknown[]): Promise<void>;
  disconnectTaskManager(resourceId: string, cause: string): Promise<void>;
}

/** Makes the gateway of job `jobId`'s JobMaster at `address` (a base URL). */
export type JobMasterGatewayFactory = (address: string, jobId: string) => JobMasterGateway;

export interface HttpJobMasterGatewayOptions {
  readonly timeoutMs?: number;
}

export function httpJobMasterGatewayFactory(options: HttpJobMasterGatewayOptions = {}): JobMasterGatewayFactory {
  return (address, jobId) => {
    const client = createHttpClient(address, jobMasterRoutes, { timeoutMs: options.timeoutMs ?? 10_000 });
    const params = { jobId };
    return {
      registerTaskManager: (location) => client.registerTaskManager({ params, body: { location } }),
      offerSlots: async (resourceId, offers) => (await client.offerSlots({ params, body: { resourceId, offers: [...offers] } })).accepted,
      updateTaskExecutionState: async (state) => (await client.updateTaskExecutionState({ params, body: state })).acknowledged,
      heartbeatFromTaskManager: async (resourceId, executions) => (await client.heartbeatFromTaskManager({ params, body: { resourceId, executions: [...executions] } })).known,
      addCollectResults: async (executionAttemptId, sinkName, records) => {
        await client.addCollectResults({ params, body: { executionAttemptId, sinkName, records: [...records] } });
      },
      disconnectTaskManager: async (resourceId, cause) => {
        await client.disconnectTaskManager({ params, body: { resourceId, cause } });
      },
    };
  };
}
