import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler, registerRoutes } from '../../rm/common/http-server.ts';
import { createInProcessClient } from '../../rm/common/in-process-client.ts';
import { createSilentLogger } from '../../rm/common/logger.ts';
import type { Handlers } from '../../rm/common/route.ts';
import type { TaskExecutorGateway } from '../../runtime/protocol/task-executor-gateway.ts';
import { httpJobMasterGateways, type TaskExecutionState } from '../../runtime/protocol/job-master-gateway.ts';
import { ANY_RESOURCE_PROFILE, isTerminalExecutionState, newFlinkId, type ExecutionState, type SerializedThrowable, type TaskManagerLocation } from '../../runtime/protocol/records.ts';
import type { TaskDeploymentDescriptor } from '../../runtime/protocol/task-deployment-descriptor.ts';
import { taskExecutorRoutes } from '../../runtime/protocol/task-executor-gateway.ts';

/**
 * A TaskManager driven by the test (Flink's TestingTaskExecutorGateway): it records what the
 * JobMaster asks of it (submitTask, cancelTask, freeSlot, heartbeats) and lets the test offer
 * slots and report task states back to the JobMaster. Usable in-process ({@link gateway}) or as
 * a real HTTP server serving taskExecutorRoutes ({@link listen}).
 */
export class TestingTaskExecutor {
  readonly resourceId: string;
  readonly submitted: TaskDeploymentDescriptor[] = [];
  readonly cancelled: string[] = [];
  readonly freed: string[] = [];
  readonly disconnectedJobs: string[] = [];
  heartbeatRequests = 0;
  /** Replace to make submitTask fail (throw) or to run code on each deployment. */
  submitTaskFunction: (tdd: TaskDeploymentDescriptor) => void = () => {};
  /** Replace to make cancelTask fail or not answer. */
  cancelTaskFunction: (executionAttemptId: string) => void = () => {};
  /** When set, heartbeat requests fail (an unreachable TaskManager). */
  unreachable = false;
  /** States reported in heartbeat answers, by attempt id. */
  readonly states = new Map<string, ExecutionState>();
  private address: string;
  private server: Server | undefined;

  constructor(resourceId = `container_test_${newFlinkId().slice(0, 8)}`, address = `http://${resourceId}.invalid:1`) {
    this.resourceId = resourceId;
    this.address = address;
  }

  get location(): TaskManagerLocation {
    const host = new URL(this.address).hostname;
    return { resourceId: this.resourceId, address: this.address, dataAddress: `${host}:${new URL(this.address).port || '1'}`, host };
  }

  handlers(): Handlers<typeof taskExecutorRoutes, unknown> {
    return {
      requestSlot: () => ({}),
      submitTask: ({ body }) => {
        this.submitTaskFunction(body.tdd);
        this.submitted.push(body.tdd);
        this.states.set(body.tdd.executionAttemptId, 'DEPLOYING');
        return {};
      },
      cancelTask: ({ body }) => {
        this.cancelled.push(body.executionAttemptId);
        this.cancelTaskFunction(body.executionAttemptId);
        return {};
      },
      freeSlot: ({ body }) => {
        this.freed.push(body.allocationId);
        return {};
      },
      heartbeatFromResourceManager: () => ({ slotReport: [] }),
      heartbeatFromJobManager: ({ body }) => {
        this.heartbeatRequests++;
        if (this.unreachable) throw new Error(`${this.resourceId} unreachable`);
        const executions: TaskExecutionState[] = this.submitted
          .filter((t) => t.jobId === body.jobId)
          .map((t) => ({ executionAttemptId: t.executionAttemptId, state: this.states.get(t.executionAttemptId) ?? 'DEPLOYING' }));
        return { executions };
      },
      disconnectJobManager: ({ body }) => {
        this.disconnectedJobs.push(body.jobId);
        return {};
      },
    };
  }

  /** The in-process gateway a JobMaster can be given instead of an HTTP client. */
  gateway(): TaskExecutorGateway {
    return createInProcessClient(taskExecutorRoutes, this.handlers(), { caller: () => undefined, origin: this.address });
  }


  /** Serves taskExecutorRoutes on 127.0.0.1 (random port); returns the base URL. */
  async listen(): Promise<string> {
    const app = express();
    app.use(express.json({ limit: '16mb' }));
    const router = express.Router();
    registerRoutes(router, taskExecutorRoutes, this.handlers(), () => undefined);
    app.use(router);
    app.use(errorHandler(createSilentLogger()));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    this.server = server;
    this.address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.address;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- calls into the JobManager, as a TaskManager makes them ------------------------------------

  /** Registers at the job's JobMaster and offers `count` fresh slots; returns the accepted allocation ids. */
  async offerSlots(jobManagerAddress: string, jobId: string, count: number): Promise<string[]> {
    const jm = httpJobMasterGateways({ retries: 0 })(jobManagerAddress);
    await jm.registerTaskManager({ params: { jobId }, body: { location: this.location } });
    const offers = Array.from({ length: count }, (_, slotIndex) => ({ allocationId: newFlinkId(), slotIndex, resourceProfile: ANY_RESOURCE_PROFILE }));
    const res = await jm.offerSlots({ params: { jobId }, body: { resourceId: this.resourceId, offers } });
    return res.accepted;
  }

  async reportState(jobManagerAddress: string, jobId: string, executionAttemptId: string, state: ExecutionState, error?: SerializedThrowable): Promise<boolean> {
    this.states.set(executionAttemptId, state);
    const jm = httpJobMasterGateways({ retries: 0 })(jobManagerAddress);
    const res = await jm.updateTaskExecutionState({ params: { jobId }, body: { executionAttemptId, state, ...(error ? { error } : {}) } });
    return res.acknowledged;
  }

  /** Reports `state` for every task of the job this TaskManager holds whose attempt is current (not yet terminal here). */
  async reportAll(jobManagerAddress: string, jobId: string, state: ExecutionState): Promise<void> {
    for (const tdd of this.submitted.filter((t) => t.jobId === jobId)) {
      const current = this.states.get(tdd.executionAttemptId);
      if (current !== undefined && isTerminalExecutionState(current)) continue;
      await this.reportState(jobManagerAddress, jobId, tdd.executionAttemptId, state);
    }
  }

  async addCollectResults(jobManagerAddress: string, jobId: string, executionAttemptId: string, sinkName: string, records: unknown[]): Promise<void> {
    const jm = httpJobMasterGateways({ retries: 0 })(jobManagerAddress);
    await jm.addCollectResults({ params: { jobId }, body: { executionAttemptId, sinkName, records } });
  }
}
