import { createServer, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response } from 'express';
import { every, type Cancel, type Clock } from '../../rm/common/clock.ts';
import { notFound } from '../../rm/common/errors.ts';
import type { Service } from '../../rm/common/lifecycle.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { FLINK_VERSION, type FlinkConfiguration } from '../config/flink-configuration.ts';
import type { DashboardConfiguration } from '../rest/flink-rest-routes.ts';
import { flinkErrorHandler } from '../rest/flink-error-handler.ts';
import { ArchiveFetcher } from './archive-fetcher.ts';
import { archiveDirectory } from './history-server-archivist.ts';

export interface HistoryServerDeps {
  readonly config: FlinkConfiguration;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Mounts the dashboard's pages (`/` and static files) before the 404 fallback. */
  readonly mountDashboard?: (app: Express) => void;
}

/** The archive dirs of `historyserver.archive.fs.dir` (comma-separated, as in Flink); none is an error naming the key. */
export function historyArchiveDirs(config: FlinkConfiguration): string[] {
  const raw = config['historyserver.archive.fs.dir'];
  const dirs = (raw ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  if (dirs.length === 0) throw new Error('historyserver.archive.fs.dir is not set: name the directories the JobManagers archive to (their jobmanager.archive.fs.dir)');
  return dirs.map((d) => archiveDirectory('historyserver.archive.fs.dir', d));
}

/**
 * Flink's HistoryServer: serves the REST answers of finished jobs that JobManagers archived to
 * `historyserver.archive.fs.dir`, re-read every `historyserver.archive.fs.refresh-interval`, on
 * `historyserver.web.address`:`historyserver.web.port` (8082), with the same dashboard as a
 * JobManager. `/config` says `web-history`, `/jobs/overview` lists every archived job, and each
 * `/jobs/<id>/...` path answers what the JobManager answered. Everything is read-only.
 */
export class HistoryServer implements Service {
  readonly name = 'HistoryServer';
  readonly fetcher: ArchiveFetcher;
  private readonly deps: HistoryServerDeps;
  private readonly app: Express;
  private server: Server | undefined;
  private cancelRefresh: Cancel | undefined;
  private boundUrl = '';

  constructor(deps: HistoryServerDeps) {
    this.deps = deps;
    const { config, logger } = deps;
    this.fetcher = new ArchiveFetcher({
      dirs: historyArchiveDirs(config),
      retainedJobs: config['historyserver.archive.retained-jobs'],
      cleanExpiredJobs: config['historyserver.archive.clean-expired-jobs'],
      logger: logger.child({ component: 'archive-fetcher' }),
    });
    this.app = this.createApp();
  }

  /** `http://<address>:<port>` once started. */
  get url(): string {
    return this.boundUrl;
  }

  private createApp(): Express {
    const { config, clock } = this.deps;
    const app = express();
    app.disable('x-powered-by');
    app.use((req, _res, next) => {
      if (req.url === '/v1' || req.url.startsWith('/v1/') || req.url.startsWith('/v1?')) req.url = req.url.slice(3) || '/';
      next();
    });
    app.get('/config', (_req, res: Response) => {
      const now = new Date(clock.now());
      const body: DashboardConfiguration = {
        'refresh-interval': config['historyserver.web.refresh-interval'],
        'timezone-name': Intl.DateTimeFormat().resolvedOptions().timeZone,
        'timezone-offset': -now.getTimezoneOffset() * 60_000,
        'flink-version': FLINK_VERSION,
        'flink-revision': 'weft',
        features: { 'web-submit': false, 'web-cancel': false, 'web-rescale': false, 'web-history': true },
      };
      res.json(body);
    });
    app.get('/jobs/overview', (_req, res: Response) => {
      res.json({ jobs: this.fetcher.overviews() });
    });
    app.get(/^\/jobs\/[0-9a-f]{32}(\/.*)?$/, (req: Request, res: Response) => {
      const path = req.path.replace(/\/+$/, '');
      const json = this.fetcher.response(path);
      if (json === undefined) {
        const jobId = path.split('/')[2]!;
        throw notFound(this.fetcher.job(jobId) ? `${path} was not archived for job ${jobId}` : `Job ${jobId} is not in the history server's archives`);
      }
      res.type('application/json').send(json);
    });
    this.deps.mountDashboard?.(app);
    app.use((req, _res, next) => next(notFound(`Not found: ${req.method} ${req.path}`)));
    app.use(flinkErrorHandler(this.deps.logger));
    return app;
  }

  async start(): Promise<void> {
    const { config, clock, logger } = this.deps;
    this.fetcher.refresh();
    const server = createServer(this.app);
    server.keepAliveTimeout = 5_000;
    const address = config['historyserver.web.address'];
    // A host name is what links say; the socket listens on every interface unless given an IP.
    const bind = address !== undefined && isIP(address.replace(/^\[|\]$/g, '')) ? address.replace(/^\[|\]$/g, '') : '0.0.0.0';
    const port = config['historyserver.web.port'];
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new Error(`historyserver.web.port ${port} is in use on ${bind}: choose another port (0 picks a free one)`) : err),
      );
      server.listen(port, bind, () => {
        server.removeAllListeners('error');
        resolve();
      });
    });
    this.server = server;
    this.cancelRefresh = every(clock, config['historyserver.archive.fs.refresh-interval'], () => {
      this.fetcher.refresh();
    });
    const bound = (server.address() as AddressInfo).port;
    const host = address ?? 'localhost';
    this.boundUrl = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${bound}`;
    logger.info({ url: this.boundUrl, dirs: historyArchiveDirs(config) }, 'History server started');
  }

  async stop(): Promise<void> {
    this.cancelRefresh?.();
    this.cancelRefresh = undefined;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
