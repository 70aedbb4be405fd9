import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler, jsonBody, registerRoutes } from '../../../../rm/common/http-server.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { BLOB_PATH } from '../../../../runtime/protocol/blob.ts';
import { jobMasterRoutes, type TaskExecutionState } from '../../../../runtime/protocol/job-master-gateway.ts';
import { newFlinkId, type ExecutionState, type SlotOffer, type SlotReport } from '../../../../runtime/protocol/records.ts';
import { resourceManagerRoutes, type TaskExecutorRegistration } from '../../../../runtime/protocol/resource-manager-gateway.ts';

/**
 * A scripted JobManager for TaskManager tests: the Flink RM routes, the JobMaster routes of any
 * job, and the blob route, recording everything a TaskManager sends.
 */
export class FakeJobManager {
  readonly registrations: TaskExecutorRegistration[] = [];
  readonly slotReports: { resourceId: string; slotReport: SlotReport }[] = [];
  readonly slotsAvailable: { resourceId: string; slotNumber: number; allocationId: string }[] = [];
  readonly rmHeartbeats: string[] = [];
  readonly rmDisconnects: { resourceId: string; cause: string }[] = [];
  readonly jmRegistrations: { jobId: string; resourceId: string }[] = [];
  readonly offers: { jobId: string; resourceId: string; offers: SlotOffer[] }[] = [];
  readonly jmHeartbeats: { jobId: string; resourceId: string; executions: TaskExecutionState[] }[] = [];
  readonly jmDisconnects: { jobId: string; resourceId: string }[] = [];
  /** Every state update, in arrival order. */
  readonly updates: TaskExecutionState[] = [];
  /** Collected records by sink name. */
  readonly collected = new Map<string, unknown[]>();
  readonly blobs = new Map<string, string>();
  /** Set to false to make the RM forget TaskManagers (heartbeat answers known:false). */
  rmKnowsTaskManagers = true;
  /** Allocation ids the JobMaster rejects. */
  readonly rejectOffers = new Set<string>();
  heartbeatIntervalMs = 200;
  heartbeatTimeoutMs = 5000;
  readonly jobMasterId = newFlinkId();
  private server: Server | null = null;
  private baseUrl = '';
  private waiters: (() => void)[] = [];

  get url(): string {
    return this.baseUrl;
  }

  async start(): Promise<string> {
    const app = express();
    app.use(jsonBody('64mb'));
    const router = express.Router();
    const changed = (): void => this.changed();
    registerRoutes(
      router,
      resourceManagerRoutes,
      {
        registerTaskExecutor: ({ body }) => {
          this.registrations.push(body);
          changed();
          return {
            status: 'success' as const,
            instanceId: newFlinkId(),
            resourceManagerId: newFlinkId(),
            heartbeatIntervalMs: this.heartbeatIntervalMs,
            heartbeatTimeoutMs: this.heartbeatTimeoutMs,
          };
        },
        sendSlotReport: ({ body }) => {
          this.slotReports.push({ resourceId: body.resourceId, slotReport: body.slotReport });
          changed();
          return {};
        },
        notifySlotAvailable: ({ body }) => {
          this.slotsAvailable.push({ resourceId: body.resourceId, slotNumber: body.slotId.slotNumber, allocationId: body.allocationId });
          changed();
          return {};
        },
        heartbeatFromTaskManager: ({ body }) => {
          this.rmHeartbeats.push(body.resourceId);
          this.slotReports.push({ resourceId: body.resourceId, slotReport: body.slotReport });
          changed();
          return { known: this.rmKnowsTaskManagers };
        },
        disconnectTaskManager: ({ body }) => {
          this.rmDisconnects.push(body);
          changed();
          return {};
        },
      },
      () => undefined,
    );
    registerRoutes(
      router,
      jobMasterRoutes,
      {
        registerTaskManager: ({ params, body }) => {
          this.jmRegistrations.push({ jobId: params.jobId, resourceId: body.location.resourceId });
          changed();
          return { jobMasterId: this.jobMasterId };
        },
        offerSlots: ({ params, body }) => {
          this.offers.push({ jobId: params.jobId, resourceId: body.resourceId, offers: body.offers });
          changed();
          return { accepted: body.offers.map((o) => o.allocationId).filter((id) => !this.rejectOffers.has(id)) };
        },
        updateTaskExecutionState: ({ body }) => {
          this.updates.push(body);
          changed();
          return { acknowledged: true };
        },
        heartbeatFromTaskManager: ({ params, body }) => {
          this.jmHeartbeats.push({ jobId: params.jobId, resourceId: body.resourceId, executions: body.executions });
          changed();
          return { known: true };
        },
        addCollectResults: ({ body }) => {
          let records = this.collected.get(body.sinkName);
          if (!records) this.collected.set(body.sinkName, (records = []));
          for (const r of body.records) records.push(r);
          changed();
          return {};
        },
        disconnectTaskManager: ({ params, body }) => {
          this.jmDisconnects.push({ jobId: params.jobId, resourceId: body.resourceId });
          changed();
          return {};
        },
      },
      () => undefined,
    );
    router.get(BLOB_PATH, (req, res) => {
      const file = this.blobs.get(String(req.params.blobKey));
      if (!file) {
        res.status(404).json({ errors: [`no blob ${String(req.params.blobKey)}`] });
        return;
      }
      createReadStream(file).pipe(res);
    });
    app.use(router);
    app.use(errorHandler(createSilentLogger()));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** States reported for one execution, in order. */
  statesOf(executionAttemptId: string): ExecutionState[] {
    return this.updates.filter((u) => u.executionAttemptId === executionAttemptId).map((u) => u.state);
  }

  lastUpdateOf(executionAttemptId: string): TaskExecutionState | undefined {
    return this.updates.filter((u) => u.executionAttemptId === executionAttemptId).at(-1);
  }

  /** Resolves once `condition` holds (re-checked on every call the fake receives, and every 50 ms). */
  async waitFor<T>(what: string, condition: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private changed(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
