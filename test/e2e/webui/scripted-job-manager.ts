import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { SystemClock } from '../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../runtime/config/flink-configuration.ts';
import { Dispatcher } from '../../../runtime/dispatcher/dispatcher.ts';
import { createFlinkRestRouter } from '../../../runtime/rest/flink-rest-router.ts';
import { attachFlinkDashboardHub, mountFlinkDashboard } from '../../../webui/flink/dashboard.ts';
import type { FlinkEventHub } from '../../../webui/flink/flink-event-hub.ts';
import { TestingResourceManagerGateway } from '../../doubles/testing-resource-manager-gateway.ts';

/**
 * A real JobManager's Dispatcher, Flink REST API and dashboard (with its live hub) in this
 * process, on a free port, with the Flink RM played by the test: a browser test brings jobs into
 * exactly the state it wants to look at (waiting for slots, restarting, failing again and again)
 * with TestingTaskExecutors offering slots and reporting task states.
 */
export interface ScriptedJobManager {
  readonly url: string;
  readonly dispatcher: Dispatcher;
  readonly rm: TestingResourceManagerGateway;
  close(): Promise<void>;
}

export async function startScriptedJobManager(conf: Record<string, string>): Promise<ScriptedJobManager> {
  const blobDir = mkdtempSync(join(tmpdir(), 'weft-dash-'));
  const rm = new TestingResourceManagerGateway();
  const clock = new SystemClock();
  const logger = createSilentLogger();
  let url = '';
  const dispatcher = new Dispatcher({ config: createFlinkConfiguration(conf), clock, logger, resourceManager: rm, jobManagerAddress: () => url, blobDirectory: blobDir });
  const app = express();
  app.use(dispatcher.rpcRouter());
  mountFlinkDashboard(app, {});
  app.use(createFlinkRestRouter({ dispatcher, resourceManager: rm, config: createFlinkConfiguration(conf), clock, logger }));
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hub: FlinkEventHub = attachFlinkDashboardHub(server, { sources: { dispatcher, taskManagers: () => rm.taskManagers() }, clock, logger, jobManager: 'scripted' });
  return {
    url,
    dispatcher,
    rm,
    close: async () => {
      dispatcher.stop();
      await hub.close();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}
