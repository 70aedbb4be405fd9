import type { PendingResources, ResourceManagerGateway, ResourceRequirements, TaskManagerInfoWithSlots } from '../../runtime/protocol/resource-manager-gateway.ts';

/**
 * The in-process Flink RM as a JobMaster sees it, driven by the test (Flink's
 * TestingResourceManagerGateway): records registrations, declarations and disconnects; the test
 * lists TaskManagers and announces lost ones. Slot offers come from TestingTaskExecutors.
 */
export class TestingResourceManagerGateway implements ResourceManagerGateway {
  readonly registrations: { jobId: string; jobMasterAddress: string }[] = [];
  readonly declarations: ResourceRequirements[] = [];
  readonly disconnects: { jobId: string; cause: string }[] = [];
  slotsPerTaskManager = 1;
  taskManagerInfos: TaskManagerInfoWithSlots[] = [];
  pending: PendingResources = { requestedWorkers: 0, startingWorkers: 0, workerResource: { memoryMb: 1728, cpuCores: 1, numberOfSlots: 1 } };
  private readonly lostListeners = new Set<(resourceId: string, cause: string) => void>();

  registerJobMaster(jobId: string, jobMasterAddress: string): void {
    this.registrations.push({ jobId, jobMasterAddress });
  }

  declareRequiredResources(requirements: ResourceRequirements): void {
    this.declarations.push(requirements);
  }

  disconnectJobManager(jobId: string, cause: string): void {
    this.disconnects.push({ jobId, cause });
  }

  taskManagers(): readonly TaskManagerInfoWithSlots[] {
    return this.taskManagerInfos;
  }

  pendingResources(): PendingResources {
    return this.pending;
  }

  onTaskManagerLost(listener: (resourceId: string, cause: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** What the RM would do when a TaskManager's container completes. */
  loseTaskManager(resourceId: string, cause = 'container completed'): void {
    this.taskManagerInfos = this.taskManagerInfos.filter((t) => t.resourceId !== resourceId);
    for (const l of [...this.lostListeners]) l(resourceId, cause);
  }

  /** Slots the job's latest declaration asks for (0 when it declared nothing or never did). */
  declaredSlots(jobId: string): number | undefined {
    const last = this.declarations.filter((d) => d.jobId === jobId).at(-1);
    return last?.requirements.reduce((sum, r) => sum + r.numberOfRequiredSlots, 0);
  }

  get lostListenerCount(): number {
    return this.lostListeners.size;
  }
}
