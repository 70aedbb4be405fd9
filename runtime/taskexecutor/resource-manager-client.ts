import { createHttpClient } from '../../rm/common/http-client.ts';
import { resourceManagerRoutes, type RegistrationResponse, type TaskExecutorRegistration } from '../protocol/resource-manager-gateway.ts';
import type { SlotId, SlotReport } from '../protocol/records.ts';
import type { TaskManagerMetricsInfo } from '../protocol/task-manager-metrics-info.ts';

/** The Flink ResourceManager as this TaskManager calls it (resourceManagerRoutes). */
export interface ResourceManagerClient {
  registerTaskExecutor(registration: TaskExecutorRegistration): Promise<RegistrationResponse>;
  sendSlotReport(resourceId: string, instanceId: string, slotReport: SlotReport): Promise<void>;
  notifySlotAvailable(resourceId: string, instanceId: string, slotId: SlotId, allocationId: string): Promise<void>;
  /** Returns whether the RM still knows this TaskManager. */
  heartbeatFromTaskManager(resourceId: string, instanceId: string, slotReport: SlotReport, metrics?: TaskManagerMetricsInfo): Promise<boolean>;
  disconnectTaskManager(resourceId: string, cause: string): Promise<void>;
}

export function httpResourceManagerClient(jobManagerUrl: string, timeoutMs = 10_000): ResourceManagerClient {
  const client = createHttpClient(jobManagerUrl, resourceManagerRoutes, { timeoutMs });
  return {
    registerTaskExecutor: (registration) => client.registerTaskExecutor({ body: registration }),
    sendSlotReport: async (resourceId, instanceId, slotReport) => {
      await client.sendSlotReport({ body: { resourceId, instanceId, slotReport } });
    },
    notifySlotAvailable: async (resourceId, instanceId, slotId, allocationId) => {
      await client.notifySlotAvailable({ body: { resourceId, instanceId, slotId, allocationId } });
    },
    heartbeatFromTaskManager: async (resourceId, instanceId, slotReport, metrics) =>
      (await client.heartbeatFromTaskManager({ body: { resourceId, instanceId, slotReport, ...(metrics ? { metrics } : {}) } })).known,
    disconnectTaskManager: async (resourceId, cause) => {
      await client.disconnectTaskManager({ body: { resourceId, cause } });
    },
  };
}
