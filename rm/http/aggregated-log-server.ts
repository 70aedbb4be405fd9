import { Router } from 'express';
import { WeftError } from '../common/errors.ts';
import { registerRoutes } from '../common/http-server.ts';
import { logReadSize } from '../common/log-files.ts';
import type { Handler, Handlers } from '../common/route.ts';
import { AggregatedLogs } from '../protocol/aggregated-logs.ts';
import { containerLogsEntry, containerLogsInfo } from '../protocol/container-logs-info.ts';
import { applicationIdOfContainer, parseApplicationId, parseContainerId } from '../protocol/ids.ts';
import type { RmContext } from '../rm-context.ts';
import { logServerRoutes } from './log-server-routes.ts';

export { LOG_SERVER_PATH } from './log-server-routes.ts';

/**
 * Aggregated container logs over HTTP, as YARN's application history server serves them
 * (`yarn.log.server.web-service.url`), on the routes of log-server-routes.ts. The RM keeps no
 * separate history server; it reads the remote app log dir the NMs write.
 */
export function aggregatedLogServer(ctx: RmContext): Router {
  const router = Router();
  registerRoutes(router, logServerRoutes, logServerHandlers(ctx), () => undefined);
  return router;
}

function logServerHandlers(ctx: RmContext): Handlers<typeof logServerRoutes, undefined> {
  const { enabled, remoteRoot, suffix } = ctx.config.logAggregation;
  const logs = new AggregatedLogs({ remoteRoot, suffix });

  const owner = (containerId: string): string | undefined => {
    if (!parseContainerId(containerId)) throw new WeftError('BadRequest', `Invalid ContainerId: ${containerId}`);
    if (!enabled) throw new WeftError('NotFound', 'Log aggregation is not enabled on this cluster (yarn.log-aggregation-enable=false): read logs from the NodeManagers');
    return ctx.apps.get(applicationIdOfContainer(containerId)!)?.user;
  };

  const file: Handler<(typeof logServerRoutes)['containerLog'], undefined> = ({ params, query }) => {
    const id = params.containerid;
    const name = params.filename;
    const size = logReadSize(query.size);
    const bytes = logs.read(id, name, size, owner(id));
    if (bytes === undefined) throw new WeftError('NotFound', `Can not find the log file:${name} for the container:${id} in the aggregated logs`);
    return bytes;
  };

  return {
    containerLogs: ({ params }) => {
      const id = params.containerid;
      const found = logs.container(id, owner(id));
      if (!found) throw new WeftError('NotFound', `Can not find the aggregated logs of container ${id}: its application may still run, or aggregation has not finished`);
      return containerLogsInfo([containerLogsEntry(id, found.nodeId, 'AGGREGATED', found.files)]);
    },
    appLogs: ({ params }) => {
      const appId = params.appid;
      if (!parseApplicationId(appId)) throw new WeftError('BadRequest', `Invalid ApplicationId: ${appId}`);
      if (!enabled) throw new WeftError('NotFound', 'Log aggregation is not enabled on this cluster (yarn.log-aggregation-enable=false): read logs from the NodeManagers');
      const found = logs.containers(appId, ctx.apps.get(appId)?.user);
      if (found.length === 0) throw new WeftError('NotFound', `Can not find aggregated logs of ${appId}: it may still run, or aggregation has not finished`);
      return { containerLogsInfo: found.map((c) => containerLogsEntry(c.containerId, c.nodeId, 'AGGREGATED', c.files)) };
    },
    containerLogFile: file,
    containerLog: file,
  };
}
