import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler, jsonBody, registerRoutes } from '../../rm/common/http-server.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { mountPrometheus, type Registry } from '../../rm/common/prometheus.ts';
import { PROMETHEUS_PATH } from '../../rm/metrics/rm-metrics.ts';
import { taskExecutorRoutes } from '../protocol/task-executor-gateway.ts';
import { LogDirectory, mountLogDirectory } from '../rest/log-directory.ts';
import type { TaskExecutor } from './task-executor.ts';

/** Where a TaskManager serves its log directory on its RPC port. */
export const TASK_EXECUTOR_FILES = '/rpc/taskexecutor';

/**
 * The TaskManager's RPC port: taskExecutorRoutes over HTTP, for the Flink RM and JobMasters, and
 * its log directory (`/rpc/taskexecutor/logs`, `/log`, `/stdout`, `/logs/:filename`), which the
 * JobManager's `/taskmanagers/:id/log*` endpoints relay (Flink's requestFileUpload*), and its
 * metrics in the Prometheus text format at `/prom`.
 */
export class TaskExecutorServer {
  private readonly executor: TaskExecutor;
  private readonly logger: Logger;
  private readonly logs: LogDirectory;
  private readonly metrics: Registry | undefined;
  private server: Server | null = null;

  constructor(executor: TaskExecutor, logger: Logger, logs: LogDirectory = new LogDirectory(undefined), metrics?: Registry) {
    this.executor = executor;
    this.logger = logger;
    this.logs = logs;
    this.metrics = metrics;
  }

  /** Listens on `host:port` (0 = any free port); returns the base URL `http://host:port`. */
  async start(host: string, port = 0): Promise<string> {
    const app = express();
    app.disable('x-powered-by');
    // TDDs of wide jobs are large; the JobManager sends them to one TaskManager at a time.
    app.use(jsonBody('64mb'));
    const router = express.Router();
    registerRoutes(router, taskExecutorRoutes, this.executor.handlers(), () => undefined);
    if (this.metrics) mountPrometheus(router, PROMETHEUS_PATH, this.metrics);
    mountLogDirectory(router, TASK_EXECUTOR_FILES, this.logs, (name) => `The file ${name} does not exist on the TaskExecutor.`);
    app.use(router);
    app.use(errorHandler(this.logger));
    const server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const bound = (server.address() as AddressInfo).port;
    return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
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
}
