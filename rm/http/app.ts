import express, { type Express, type Request } from 'express';
import { WeftError } from '../common/errors.ts';
import { errorHandler, jsonBody, registerRoutes } from '../common/http-server.ts';
import type { Logger } from '../common/logger.ts';
import { amRmRoutes } from '../protocol/am-rm.ts';
import { clientRmRoutes } from '../protocol/client-rm.ts';
import { resourceTrackerRoutes } from '../protocol/resource-tracker.ts';
import type { RmContext } from '../rm-context.ts';
import type { ApplicationMasterService } from '../services/application-master-service.ts';
import type { ClientRmService } from '../services/client-rm-service.ts';
import type { ResourceTrackerService } from '../services/resource-tracker-service.ts';
import { aggregatedLogServer } from './aggregated-log-server.ts';
import { webProxy } from './web-proxy.ts';

export interface RmHttpDeps {
  readonly ctx: RmContext;
  readonly logger: Logger;
  readonly clientRm: ClientRmService;
  readonly appMaster: ApplicationMasterService;
  readonly resourceTracker: ResourceTrackerService;
  /** Extra routers mounted before the 404 fallback (web UI, live events). */
  readonly extra?: readonly ((app: Express) => void)[];
}

/** The RM's single HTTP port: public REST, the internal protocols, and the web proxy. */
export function createRmHttpApp(deps: RmHttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use('/proxy/:appId', webProxy(deps.ctx));
  app.use(jsonBody());

  const rest = express.Router();
  registerRoutes(rest, clientRmRoutes, deps.clientRm.handlers(), (req) => deps.clientRm.authenticate(req));
  app.use(rest);

  const rpc = express.Router();
  registerRoutes(rpc, resourceTrackerRoutes, deps.resourceTracker.handlers(), () => undefined);
  registerRoutes(rpc, amRmRoutes, deps.appMaster.handlers(), (req: Request) => deps.appMaster.authenticate(req));
  app.use(rpc);

  app.use(aggregatedLogServer(deps.ctx));

  for (const mount of deps.extra ?? []) mount(app);

  app.use((req, _res, next) => {
    next(new WeftError('NotFound', `java.lang.Exception: no such resource ${req.method} ${req.path}; see /ws/v1/cluster for the REST API`));
  });
  app.use(errorHandler(deps.logger));
  return app;
}
