import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Express, Request, Response } from 'express';
import type { Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { PUBLIC_DIR } from '../server.ts';
import { staticFiles } from '../static-files.ts';
import { flinkSnapshot, type FlinkStateSources } from './flink-changes.ts';
import { FlinkEventHub, type FlinkEventHubOptions } from './flink-event-hub.ts';

export interface FlinkDashboardIdentity {
  /** The YARN application this JobManager runs as, for the link back to the RM's application page. */
  readonly appId?: string;
  /** The RM's web address, used when the dashboard is opened on the JobManager's own port. */
  readonly rmUrl?: string;
}

const FLINK_INDEX = join(PUBLIC_DIR, 'flink', 'index.html');

/**
 * Serves the Flink dashboard on the JobManager's port: `/` is `public/flink/index.html` (with the
 * application id and RM address in `<meta>` tags), everything else the web UI's static files.
 * All URLs in the pages are relative, so the same files work at `/` of the JobManager and at
 * `/proxy/<appId>/` of the RM. Mount it before the Flink REST routes' 404 handler.
 */
export function mountFlinkDashboard(app: Express, identity: FlinkDashboardIdentity = {}): void {
  const template = readFileSync(FLINK_INDEX, 'utf8');
  const page = template
    .replace('<meta name="weft-app-id" content="" />', `<meta name="weft-app-id" content="${escapeAttr(identity.appId ?? '')}" />`)
    .replace('<meta name="weft-rm-url" content="" />', `<meta name="weft-rm-url" content="${escapeAttr(identity.rmUrl ?? '')}" />`);
  app.get('/', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', CSP);
    res.type('html').send(page);
  });
  app.use(staticFiles(PUBLIC_DIR));
}

/** As webui/static-files.ts sets for every static file: scripts, styles and sockets from this origin only. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss: http: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export type FlinkDashboardHubOptions = Partial<Pick<FlinkEventHubOptions, 'flushIntervalMs' | 'maxBufferedBytes' | 'pingIntervalMs' | 'maxClients' | 'path'>>;

/** Attaches the dashboard's live-event hub (`/ws/events`) to the JobManager's HTTP server; returns its close function. */
export function attachFlinkDashboardHub(
  server: Server,
  deps: { readonly sources: FlinkStateSources; readonly clock: Clock; readonly logger: Logger; readonly jobManager: string },
  options: FlinkDashboardHubOptions = {},
): FlinkEventHub {
  const hub = new FlinkEventHub({ snapshot: () => flinkSnapshot(deps.sources), clock: deps.clock, logger: deps.logger, jobManager: deps.jobManager, ...options });
  hub.attach(server);
  return hub;
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
