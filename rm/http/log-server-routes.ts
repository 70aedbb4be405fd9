import { z } from 'zod';
import { LogSizeQuery } from '../common/log-files.ts';
import { route, textRoute } from '../common/route.ts';
import { ContainerLogsInfo } from '../protocol/container-logs-info.ts';

/** Where the RM serves aggregated logs: the paths of YARN's log server (AHSWebServices). */
export const LOG_SERVER_PATH = '/ws/v1/applicationhistory';

const containerIdParam = z.object({ containerid: z.string() });
const logFileParams = z.object({ containerid: z.string(), filename: z.string() });

/**
 * The RM's aggregated-log server as route specs (YARN's AHSWebServices log paths), so `weft logs`
 * builds its client from the table the RM serves: `.../containers/{id}/logs` lists a container's
 * files (ContainerLogsInfo, AGGREGATED); a file is text/plain under both Hadoop spellings
 * (`?size=` as on the NM).
 *
 * weft extension: `GET .../apps/{appid}/logs` lists every aggregated container of an application
 * (the ContainerLogsInfo list, one entry per container and node), which `yarn logs` finds by
 * reading the remote file system itself; `weft logs` asks here instead.
 */
export const logServerRoutes = {
  containerLogs: route({ method: 'GET', path: `${LOG_SERVER_PATH}/containers/:containerid/logs`, params: containerIdParam, response: ContainerLogsInfo, status: 200, semantics: 'safe' }),
  appLogs: route({ method: 'GET', path: `${LOG_SERVER_PATH}/apps/:appid/logs`, params: z.object({ appid: z.string() }), response: ContainerLogsInfo, status: 200, semantics: 'safe' }),
  containerLogFile: textRoute({ method: 'GET', path: `${LOG_SERVER_PATH}/containers/:containerid/logs/:filename`, params: logFileParams, query: LogSizeQuery, status: 200, semantics: 'safe' }),
  containerLog: textRoute({ method: 'GET', path: `${LOG_SERVER_PATH}/containerlogs/:containerid/:filename`, params: logFileParams, query: LogSizeQuery, status: 200, semantics: 'safe' }),
};
