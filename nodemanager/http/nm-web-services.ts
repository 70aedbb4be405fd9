import { WeftError } from '../../rm/common/errors.ts';
import { logReadSize } from '../../rm/common/log-files.ts';
import type { Handler, Handlers } from '../../rm/common/route.ts';
import { parseApplicationId, parseContainerId } from '../../rm/protocol/ids.ts';
import type { NmConfig } from '../config.ts';
import type { NmApplication } from '../containers/application.ts';
import type { Container } from '../containers/container.ts';
import type { NmContext } from '../nm-context.ts';
import { containerLogsEntry, containerLogsInfo } from '../../rm/protocol/container-logs-info.ts';
import type { ContainerLogFiles } from './container-log-files.ts';
import type { NmAppInfo, NmContainerInfo, NmNodeInfo, nmWebRoutes } from './nm-web-routes.ts';

export interface NmWebServicesDeps {
  readonly context: NmContext;
  readonly config: NmConfig;
  readonly logs: ContainerLogFiles;
  readonly nmVersion: string;
  readonly builtOn: string;
}

/** YARN reports the Hadoop version it was built from; weft says what it emulates. */
const HADOOP_VERSION = '3.3.6';

/** NMWebServices: the DAOs of the NM REST API built from the NM's context. */
export function nmWebHandlers(deps: NmWebServicesDeps): Handlers<typeof nmWebRoutes, undefined> {
  const { context, config, logs } = deps;

  const nodeInfo = (): { nodeInfo: NmNodeInfo } => ({
    nodeInfo: {
      id: context.nodeId,
      nodeHostName: context.hostname,
      totalPmemAllocatedContainersMB: context.resource.memory,
      totalVmemAllocatedContainersMB: Math.round(context.resource.memory * config.conf['yarn.nodemanager.vmem-pmem-ratio']),
      totalVCoresAllocatedContainers: context.resource.vCores,
      vmemCheckEnabled: config.conf['yarn.nodemanager.vmem-check-enabled'],
      pmemCheckEnabled: config.conf['yarn.nodemanager.pmem-check-enabled'],
      lastNodeUpdateTime: context.lastNodeUpdateTime,
      nmStartupTime: context.startTime,
      healthReport: context.healthReport,
      nodeHealthy: context.healthy,
      nodeManagerVersion: deps.nmVersion,
      nodeManagerBuildVersion: deps.nmVersion,
      nodeManagerVersionBuiltOn: deps.builtOn,
      hadoopVersion: HADOOP_VERSION,
      hadoopBuildVersion: HADOOP_VERSION,
      hadoopVersionBuiltOn: deps.builtOn,
    },
  });

  const appInfo = (app: NmApplication): NmAppInfo => ({
    id: app.id,
    user: app.user,
    state: app.state,
    ...(app.containerIds.size > 0 ? { containerids: [...app.containerIds] } : {}),
  });

  const logFilesOf = (c: Container): string[] => {
    try {
      return logs.list(c.id, c.user).map((f) => f.fileName);
    } catch {
      return [];
    }
  };


  const containerInfo = (c: Container): NmContainerInfo => ({
    id: c.id,
    state: c.state,
    exitCode: c.exitStatus,
    diagnostics: c.diagnosticsText,
    user: c.user,
    totalMemoryNeededMB: c.resource.memory,
    totalVCoresNeeded: c.resource.vCores,
    containerLogsLink: `http://${context.httpAddress}/node/containerlogs/${c.id}/${c.user}`,
    nodeId: context.nodeId,
    executionType: 'GUARANTEED',
    containerLogFiles: logFilesOf(c),
  });

  const readLog: Handler<(typeof nmWebRoutes)['containerLog'], undefined> = ({ params, query }) =>
    logs.read(params.containerid, params.filename, logReadSize(query.size), context.containers.get(params.containerid)?.user);

  return {
    node: nodeInfo,
    nodeInfo,
    apps: ({ query }) => {
      const apps = [...context.applications.values()]
        .filter((a) => query.state === undefined || a.state === query.state.toUpperCase())
        .filter((a) => query.user === undefined || a.user === query.user);
      return { apps: apps.length > 0 ? { app: apps.map(appInfo) } : null };
    },
    app: ({ params }) => {
      if (!parseApplicationId(params.appid)) throw new WeftError('BadRequest', `Invalid ApplicationId: ${params.appid}`);
      const app = context.applications.get(params.appid);
      if (!app) throw new WeftError('NotFound', 'app with id ' + params.appid + ' not found');
      return { app: appInfo(app) };
    },
    containers: () => {
      const all = [...context.containers.values()];
      return { containers: all.length > 0 ? { container: all.map(containerInfo) } : null };
    },
    container: ({ params }) => {
      if (!parseContainerId(params.containerid)) throw new WeftError('BadRequest', `invalid container id, ${params.containerid}`);
      const c = context.containers.get(params.containerid);
      if (!c) throw new WeftError('NotFound', `container with id, ${params.containerid}, not found`);
      return { container: containerInfo(c) };
    },
    containerLogs: ({ params }) => {
      const id = params.containerid;
      const user = context.containers.get(id)?.user;
      const local = logs.local(id);
      const aggregated = logs.aggregated(id, user);
      const entries = [
        ...(local ? [containerLogsEntry(id, context.nodeId, 'LOCAL', local)] : []),
        ...(aggregated ? [containerLogsEntry(id, aggregated.nodeId, 'AGGREGATED', aggregated.files)] : []),
      ];
      if (entries.length === 0) throw new WeftError('NotFound', `Cannot find logs of container ${id} on the local disk or in the aggregated logs`);
      return containerLogsInfo(entries);
    },
    containerLog: readLog,
    containerLogFile: readLog,
  };
}
