import express, { type ErrorRequestHandler, type Express } from 'express';
import { WeftError } from '../../rm/common/errors.ts';
import { errorHandler, jsonBody, registerRoutes } from '../../rm/common/http-server.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { mountPrometheus, type Registry } from '../../rm/common/prometheus.ts';
import { PROMETHEUS_PATH } from '../../rm/metrics/rm-metrics.ts';
import { nmContainerRoutes } from '../../rm/protocol/nm-container.ts';
import type { NmConfig } from '../config.ts';
import type { ContainerManagementService } from '../containers/container-management-service.ts';
import type { NmContext } from '../nm-context.ts';
import type { ContainerLogFiles } from './container-log-files.ts';
import { nmWebRoutes } from './nm-web-routes.ts';
import { nmWebPages } from './nm-web-pages.ts';
import { nmWebHandlers } from './nm-web-services.ts';

export interface NmHttpAppDeps {
  readonly context: NmContext;
  readonly config: NmConfig;
  readonly containerManagement: ContainerManagementService;
  readonly logs: ContainerLogFiles;
  readonly logger: Logger;
  readonly nmVersion: string;
  readonly builtOn: string;
  /** Served at `/prom` in the Prometheus text format (NodeManagerMetrics, ContainerResource). */
  readonly metrics?: Registry;
}

/**
 * The NM's HTTP app (not listening; tests pass it to supertest): ContainerManagement under
 * `/rpc/containermanager/`, the NM REST API under `/ws/v1/node/`, container logs as text, and
 * the web pages under `/node` (what an NM's address and YARN's log links open in a browser).
 */
export function createNmHttpApp(deps: NmHttpAppDeps): Express {
  const { context, containerManagement, logs } = deps;
  const logger = deps.logger.child({ component: 'nm.http' });
  const app = express();
  app.disable('x-powered-by');
  app.use('/rpc', jsonBody());

  // The RM's web UI reads container logs from the NM, a different origin: allow exactly the RM's
  // origin to read the NM's REST API (YARN's webapp cross-origin filter, restricted by default).
  const rmOrigin = new URL(deps.config.rmUrl).origin;
  app.use('/ws/v1/node', (req, res, next) => {
    if (req.get('origin') === rmOrigin && (req.method === 'GET' || req.method === 'HEAD')) {
      res.set({ 'Access-Control-Allow-Origin': rmOrigin, Vary: 'Origin' });
    }
    next();
  });

  const router = express.Router();
  registerRoutes(
    router,
    nmContainerRoutes,
    containerManagement.handlers(),
    (req, spec) => containerManagement.authenticate(req, spec),
  );
  registerRoutes(router, nmWebRoutes, nmWebHandlers({ ...deps }), () => undefined);

  app.use(router);
  app.use(nmWebPages({ context, logs, rmUrl: deps.config.rmUrl }));

  if (deps.metrics) mountPrometheus(app, PROMETHEUS_PATH, deps.metrics);
  app.use((req, _res, next) => next(new WeftError('NotFound', `no resource at ${req.method} ${req.path}`)));
  // Express rejects a malformed %-escape in a path parameter with a 400 URIError: keep it a 400.
  const badEscapes: ErrorRequestHandler = (err: unknown, _req, _res, next) => {
    if (err instanceof URIError) {
      next(new WeftError('BadRequest', `Malformed URL: ${err.message}`));
    } else {
      next(err);
    }
  };
  app.use(badEscapes);
  app.use(errorHandler(logger));
  return app;
}
