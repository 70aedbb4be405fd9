import type { ResourceEventHandler, ResourceManagerDriver, WorkerNode } from '../../../../runtime/resourcemanager/resource-manager-driver.ts';
import type { TaskExecutorGateway, TaskExecutorGatewayFactory } from '../../../../runtime/protocol/task-executor-gateway.ts';
import type { WorkerResourceSpec } from '../../../../runtime/resourcemanager/worker-resource-spec.ts';
import type { TaskExecutorRegistration } from '../../../../runtime/protocol/resource-manager-gateway.ts';
import type { SlotReport } from '../../../../runtime/protocol/records.ts';
import type { TaskManagerMetricsInfo } from '../../../../runtime/protocol/task-manager-metrics-info.ts';

interface PendingWorker {
  readonly spec: WorkerResourceSpec;
  readonly resolve: (node: WorkerNode) => void;
  readonly reject: (err: Error) => void;
}

/** A driver whose worker requests the test answers by hand. */
export class FakeDriver implements ResourceManagerDriver {
  handler: ResourceEventHandler | undefined;
  readonly pending: PendingWorker[] = [];
  readonly released: string[] = [];
  requested = 0;
  terminated = false;
  private seq = 1;

  async initialize(handler: ResourceEventHandler): Promise<void> {
    this.handler = handler;
  }

  withdrawn = 0;

  requestResource(spec: WorkerResourceSpec, signal?: AbortSignal): Promise<WorkerNode> {
    this.requested++;
    return new Promise((resolve, reject) => {
      const p: PendingWorker = { spec, resolve, reject };
      this.pending.push(p);
      signal?.addEventListener('abort', () => {
        const i = this.pending.indexOf(p);
        if (i < 0) return;
        this.pending.splice(i, 1);
        this.withdrawn++;
        reject(new Error('withdrawn'));
      });
    });
  }

  releaseResource(resourceId: string): void {
    this.released.push(resourceId);
  }

  async terminate(): Promise<void> {
    this.terminated = true;
  }

  /** Completes the oldest request with a new container id. */
  allocate(): string {
    const p = this.pending.shift();
    if (!p) throw new Error('no pending worker request');
    const resourceId = `container_1_0001_01_${String(++this.seq).padStart(6, '0')}`;
    p.resolve({ resourceId, host: 'localhost', spec: p.spec });
    return resourceId;
  }

  fail(message = 'no capacity'): void {
    const p = this.pending.shift();
    if (!p) throw new Error('no pending worker request');
    p.reject(new Error(message));
  }
}

export interface SlotRequestCall {
  readonly address: string;
  readonly slotNumber: number;
  readonly resourceId: string;
  readonly jobId: string;
  readonly allocationId: string;
  readonly targetAddress: string;
}

/** TaskManagers as the RM calls them: records requestSlot, answers heartbeats with a settable report. */
export class FakeTaskExecutors {
  readonly slotRequests: SlotRequestCall[] = [];
  readonly heartbeats: string[] = [];
  readonly reports = new Map<string, SlotReport>();
  /** Memory figures a TaskManager's heartbeat answer carries, by address. */
  readonly metrics = new Map<string, TaskManagerMetricsInfo>();
  readonly unreachable = new Set<string>();
  readonly refuseSlots = new Set<string>();

  readonly factory: TaskExecutorGatewayFactory = (address) => {
    const notTheRms = (): Promise<never> => Promise.reject(new Error('not a call the Flink RM makes'));
    const client: TaskExecutorGateway = {
      requestSlot: async ({ body }) => {
        if (this.refuseSlots.has(address)) throw new Error('slot taken');
        this.slotRequests.push({ address, slotNumber: body.slotId.slotNumber, resourceId: body.slotId.resourceId, jobId: body.jobId, allocationId: body.allocationId, targetAddress: body.targetAddress });
        return {};
      },
      freeSlot: async () => ({}),
      heartbeatFromResourceManager: async () => {
        this.heartbeats.push(address);
        if (this.unreachable.has(address)) throw new Error('ECONNREFUSED');
        const metrics = this.metrics.get(address);
        return { slotReport: this.reports.get(address) ?? [], ...(metrics ? { metrics } : {}) };
      },
      submitTask: notTheRms,
      cancelTask: notTheRms,
      heartbeatFromJobManager: notTheRms,
      disconnectJobManager: notTheRms,
    };
    return client;
  };
}

export const registration = (resourceId: string, slots = 2): TaskExecutorRegistration => ({
  location: { resourceId, address: `http://tm-${resourceId}:1`, dataAddress: 'localhost:2', host: 'localhost' },
  numberOfSlots: slots,
  defaultSlotResourceProfile: { cpuCores: 1, taskHeapMemoryMb: 256, managedMemoryMb: 0 },
  memoryMb: 512,
});

export const JOB_A = 'a'.repeat(32);
export const JOB_B = 'b'.repeat(32);
