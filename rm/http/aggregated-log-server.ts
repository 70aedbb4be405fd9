import express, { type Request, type Response, type Router } from 'express';
import { WeftError } from '../common/errors.ts';
import { AggregatedLogs } from '../protocol/aggregated-logs.ts';
import { containerLogsEntry, containerLogsInfo } from '../protocol/container-logs-info.ts';
import { applicationIdOfContainer, parseApplicationId, parseContainerId } from '../protocol/ids.ts';
import type { RmContext } from '../rm-context.ts';

/** Where the RM serves aggregated logs: the paths of YARN's log server (AHSWebServices). */
export const LOG_SERVER_PATH = '/ws/v1/applicationhistory';

/**
 * Aggregated container logs over HTTP, as YARN's application history server serves them
 * (`yarn.log.server.web-service.url`): `GET .../containers/{id}/logs` lists a container's files
 * (ContainerLogsInfo, AGGREGATED), `GET .../containers/{id}/logs/{file}` and
 * `.../containerlogs/{id}/{file}` return one as text (`?size=` as on the NM). The RM keeps no
 * separate history server; it reads the remote app log dir the NMs write.
 *
 * weft extension: `GET .../apps/{appid}/logs` lists every aggregated container of an application
 * (the ContainerLogsInfo list, one entry per container and node), which `yarn logs` finds by
 * reading the remote file system itself; `weft logs` asks here instead.
 */
export function aggregatedLogServer(ctx: RmContext): Router {
  const router = express.Router();
  const { enabled, remoteRoot, suffix } = ctx.config.logAggregation;
  const logs = new AggregatedLogs({ remoteRoot, suffix });

  const owner = (containerId: string): string | undefined => {
    if (!parseContainerId(containerId)) throw new WeftError('BadRequest', `Invalid ContainerId: ${containerId}`);
    if (!enabled) throw new WeftError('NotFound', 'Log aggregation is not enabled on this cluster (yarn.log-aggregation-enable=false): read logs from the NodeManagers');
    return ctx.apps.get(applicationIdOfContainer(containerId)!)?.user;
  };

  router.get(`${LOG_SERVER_PATH}/containers/:containerid/logs`, (req: Request, res: Response) => {
    const id = String(req.params.containerid);
    const found = logs.container(id, owner(id));
    if (!found) throw new WeftError('NotFound', `Can not find the aggregated logs of container ${id}: its application may still run, or aggregation has not finished`);
    res.status(200).json(containerLogsInfo([containerLogsEntry(id, found.nodeId, 'AGGREGATED', found.files)]));
  });

  router.get(`${LOG_SERVER_PATH}/apps/:appid/logs`, (req: Request, res: Response) => {
    const appId = String(req.params.appid);
    if (!parseApplicationId(appId)) throw new WeftError('BadRequest', `Invalid ApplicationId: ${appId}`);
    if (!enabled) throw new WeftError('NotFound', 'Log aggregation is not enabled on this cluster (yarn.log-aggregation-enable=false): read logs from the NodeManagers');
    const found = logs.containers(appId, ctx.apps.get(appId)?.user);
    if (found.length === 0) throw new WeftError('NotFound', `Can not find aggregated logs of ${appId}: it may still run, or aggregation has not finished`);
    res.status(200).json({ containerLogsInfo: found.map((c) => containerLogsEntry(c.containerId, c.nodeId, 'AGGREGATED', c.files)) });
  });

  const file = (req: Request, res: Response): void => {
    const id = String(req.params.containerid);
    const name = String(req.params.filename);
    const raw = typeof req.query.size === 'string' && req.query.size !== '' ? req.query.size : undefined;
    const size = raw === undefined ? undefined : Number(raw);
    if (size !== undefined && !Number.isInteger(size)) throw new WeftError('BadRequest', `Invalid size: ${raw}`);
    const bytes = logs.read(id, name, size, owner(id));
    if (bytes === undefined) throw new WeftError('NotFound', `Can not find the log file:${name} for the container:${id} in the aggregated logs`);
    res.status(200).type('text/plain; charset=utf-8').setHeader('X-Content-Type-Options', 'nosniff');
    res.send(bytes);
  };
  router.get(`${LOG_SERVER_PATH}/containers/:containerid/logs/:filename`, file);
  router.get(`${LOG_SERVER_PATH}/containerlogs/:containerid/:filename`, file);
  return router;
}
