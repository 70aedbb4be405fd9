import { ManualClock } from '../../../../rm/common/clock.ts';
import { UnreachableError } from '../../../../rm/common/http-client.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { StreamExecutionEnvironment } from '../../../../runtime/api/stream-execution-environment.ts';
import type { LoadedJob } from '../../../../runtime/api/job-loader.ts';
import { jobGraphFingerprint } from '../../../../runtime/jobgraph/job-graph.ts';
import { NetworkEnvironment } from '../../../../runtime/network/network-environment.ts';
import type { JobMasterGateway, TaskExecutionState } from '../../../../runtime/protocol/job-master-gateway.ts';
import { newFlinkId, type SlotId, type SlotReport } from '../../../../runtime/protocol/records.ts';
import type { RegistrationResponse, ResourceManagerTaskExecutorGateway, TaskExecutorRegistration } from '../../../../runtime/protocol/resource-manager-gateway.ts';
import type { TaskDeploymentDescriptor } from '../../../../runtime/protocol/task-deployment-descriptor.ts';
import { MemoryTextOutput } from '../../../../runtime/streaming/text-output.ts';
import { JobLibrary } from '../../../../runtime/taskexecutor/job-library.ts';
import { TaskSlotTable } from '../../../../runtime/taskexecutor/slot/task-slot-table.ts';
import { TaskExecutor } from '../../../../runtime/taskexecutor/task-executor.ts';
import type { Task } from '../../../../runtime/taskexecutor/task.ts';

export const RESOURCE_ID = 'tm-unit';
export const HEARTBEAT_INTERVAL = 1000;
export const HEARTBEAT_TIMEOUT = 5000;

/** A Flink RM client whose answers the test scripts. */
export class FakeResourceManager implements ResourceManagerTaskExecutorGateway {
  readonly registrations: TaskExecutorRegistration[] = [];
  readonly slotReports: SlotReport[] = [];
  readonly heartbeats: SlotReport[] = [];
  /** `slotNumber:allocationId` of every notifySlotAvailable. */
  readonly slotsAvailable: string[] = [];
  readonly disconnects: string[] = [];
  reachable = true;
  reject: string | null = null;
  known = true;

  async registerTaskExecutor({ body: registration }: { body: TaskExecutorRegistration }): Promise<RegistrationResponse> {
    if (!this.reachable) throw new UnreachableError('POST registerTaskExecutor', 'ECONNREFUSED');
    this.registrations.push(registration);
    if (this.reject !== null) return { status: 'rejection', reason: this.reject };
    this.known = true;
    return { status: 'success', instanceId: newFlinkId(), resourceManagerId: newFlinkId(), heartbeatIntervalMs: HEARTBEAT_INTERVAL, heartbeatTimeoutMs: HEARTBEAT_TIMEOUT };
  }

  async sendSlotReport({ body }: { body: { slotReport: SlotReport } }): Promise<Record<string, never>> {
    if (!this.reachable) throw new UnreachableError('POST sendSlotReport', 'ECONNREFUSED');
    this.slotReports.push(body.slotReport);
    return {};
  }

  async notifySlotAvailable({ body }: { body: { slotId: SlotId; allocationId: string } }): Promise<Record<string, never>> {
    if (!this.reachable) throw new UnreachableError('POST notifySlotAvailable', 'ECONNREFUSED');
    this.slotsAvailable.push(`${body.slotId.slotNumber}:${body.allocationId}`);
    return {};
  }

  async heartbeatFromTaskManager({ body }: { body: { slotReport: SlotReport } }): Promise<{ known: boolean }> {
    if (!this.reachable) throw new UnreachableError('POST heartbeatFromTaskManager', 'ECONNREFUSED');
    this.heartbeats.push(body.slotReport);
    return { known: this.known };
  }

  async disconnectTaskManager({ body }: { body: { resourceId: string } }): Promise<Record<string, never>> {
    this.disconnects.push(body.resourceId);
    return {};
  }
}

/** JobMasters of any job, recording every call as one event log. */
export class FakeJobMasters {
  readonly log: string[] = [];
  readonly updates: TaskExecutionState[] = [];
  readonly collected: unknown[] = [];
  readonly heartbeats: TaskExecutionState[][] = [];
  readonly rejected = new Set<string>();
  reachable = true;

  readonly factory = (_address: string): JobMasterGateway => ({
    registerTaskManager: async ({ params, body }) => {
      this.check();
      this.log.push(`register:${params.jobId}:${body.location.resourceId}`);
      return { jobMasterId: newFlinkId() };
    },
    offerSlots: async ({ body }) => {
      this.check();
      this.log.push(`offer:${body.offers.map((o) => o.slotIndex).join(',')}`);
      return { accepted: body.offers.map((o) => o.allocationId).filter((id) => !this.rejected.has(id)) };
    },
    updateTaskExecutionState: async ({ body }) => {
      this.check();
      this.updates.push(body);
      this.log.push(`update:${body.state}`);
      return { acknowledged: true };
    },
    heartbeatFromTaskManager: async ({ body }) => {
      this.check();
      this.heartbeats.push([...body.executions]);
      return { known: true };
    },
    addCollectResults: async ({ body }) => {
      this.check();
      this.collected.push(...body.records);
      this.log.push(`collect:${body.sinkName}:${body.records.length}`);
      return {};
    },
    disconnectTaskManager: async () => {
      this.log.push('disconnect');
      return {};
    },
  });

  statesOf(executionAttemptId: string): string[] {
    return this.updates.filter((u) => u.executionAttemptId === executionAttemptId).map((u) => u.state);
  }

  private check(): void {
    if (!this.reachable) throw new UnreachableError('JobMaster', 'ECONNREFUSED');
  }
}

/** A one-vertex job built in this process, as the job file would build it. */
export type JobBuilder = (env: StreamExecutionEnvironment) => void;

export function buildJob(jobId: string, build: JobBuilder): LoadedJob {
  const env = new StreamExecutionEnvironment({ parallelism: 1 });
  build(env);
  const built = env.buildJob({ jobId, jobName: 'unit' });
  return { ...built, jobGraph: { ...built.jobGraph, executionConfig: { parallelism: 1 } }, sourceName: 'unit.ts', args: [] };
}

/** The TDD of subtask 0 of vertex `vertexIndex` of a job (its only vertex by default). */
export function tddFor(job: LoadedJob, allocationId: string, vertexIndex = 0): TaskDeploymentDescriptor {
  const vertex = job.jobGraph.vertices[vertexIndex];
  if (!vertex) throw new Error(`the job has no vertex ${vertexIndex}`);
  return {
    jobId: job.jobGraph.jobId,
    jobName: job.jobGraph.jobName,
    jobVertexId: vertex.id,
    taskName: vertex.name,
    executionAttemptId: newFlinkId(),
    attemptNumber: 0,
    subtaskIndex: 0,
    parallelism: 1,
    maxParallelism: vertex.maxParallelism,
    keyGroupRange: { start: 0, end: vertex.maxParallelism - 1 },
    allocationId,
    jobFile: { blobKey: 'blob', fileName: 'unit.mjs', args: [] },
    jobInformation: {
      executionConfig: job.jobGraph.executionConfig ?? { parallelism: 1 },
      jobConfiguration: job.jobGraph.jobConfiguration ?? {},
      graphFingerprint: jobGraphFingerprint(job.jobGraph),
    },
    operatorIds: vertex.operators.map((o) => o.id),
    inputGates: [],
    resultPartitions: [],
    jobMasterAddress: 'http://jm',
    bufferTimeoutMs: 100,
  };
}

export interface TaskExecutorHarness {
  readonly clock: ManualClock;
  readonly rm: FakeResourceManager;
  readonly jms: FakeJobMasters;
  readonly table: TaskSlotTable<Task>;
  readonly executor: TaskExecutor;
  readonly network: NetworkEnvironment;
  readonly fatal: Error[];
  readonly jobs: Map<string, LoadedJob>;
  /** Awaited before a job is "loaded", so a test can hold a task in DEPLOYING. */
  beforeLoad: () => Promise<void>;
}

export function createHarness(): TaskExecutorHarness {
  const clock = new ManualClock();
  const rm = new FakeResourceManager();
  const jms = new FakeJobMasters();
  const table = new TaskSlotTable<Task>(RESOURCE_ID, 2, { cpuCores: 1, taskHeapMemoryMb: 512, managedMemoryMb: 0 });
  const network = new NetworkEnvironment({ clock });
  const fatal: Error[] = [];
  const jobs = new Map<string, LoadedJob>();
  const harness = { beforeLoad: async () => {} };
  const library = new JobLibrary({ get: async () => '/jobs/unit.mjs' }, async (_path, _args, options) => {
    await harness.beforeLoad();
    const job = jobs.get(options.jobId ?? '');
    if (!job) throw new Error(`no job ${options.jobId}`);
    return job;
  });
  const executor = new TaskExecutor({
    options: { resourceId: RESOURCE_ID, host: 'tm-host', numberOfSlots: 2, memoryMb: 1024, heartbeatIntervalMs: HEARTBEAT_INTERVAL, heartbeatTimeoutMs: HEARTBEAT_TIMEOUT },
    clock,
    logger: createSilentLogger(),
    resourceManager: rm,
    jobMasters: jms.factory,
    slotTable: table,
    network,
    jobs: library,
    stdout: new MemoryTextOutput(),
    onFatalError: (err) => fatal.push(err),
  });
  return Object.assign(harness, { clock, rm, jms, table, executor, network, fatal, jobs });
}

/** Lets queued promise chains and setImmediate turns run. */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
