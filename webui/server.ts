import type { Server } from 'node:http';
import { weftPath } from '../rm/common/weft-home.ts';
import type { Express } from 'express';
import type { ResourceManager } from '../rm/resource-manager.ts';
import { EventHub, type EventHubOptions } from './event-hub.ts';
import { staticFiles } from './static-files.ts';
import { yarnUiPaths } from './yarn-ui-paths.ts';

/** `webui/public`: the pages, plain ES modules with no build step. */
export const PUBLIC_DIR = weftPath('webui/public');

/** Serves the cluster UI at `/` of the RM's port (ResourceManagerDeps.extraRoutes). */
export function mountWebUi(app: Express, _rm: ResourceManager): void {
  app.use(yarnUiPaths());
  app.use(staticFiles(PUBLIC_DIR));
}

export type WebUiHubOptions = Partial<Pick<EventHubOptions, 'flushIntervalMs' | 'maxPendingPerClient' | 'maxBufferedBytes' | 'pingIntervalMs' | 'maxClients' | 'clock'>>;

/**
 * Attaches the live-event hub to the RM's HTTP server (ResourceManagerDeps.attachToServer);
 * the returned function closes every socket and timer. The hub reads only the RM's published
 * change stream (`rm.changes`), never its entities.
 */
export function attachWebUiHub(server: Server, rm: ResourceManager, options: WebUiHubOptions = {}): () => Promise<void> {
  const hub = new EventHub({
    changes: rm.changes,
    clock: options.clock ?? rm.clock,
    logger: rm.logger.child({ component: 'webui' }),
    clusterId: rm.clusterTimestamp,
    ...options,
  });
  hub.attach(server);
  return () => hub.close();
}
