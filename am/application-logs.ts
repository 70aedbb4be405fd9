import { WeftError } from '../rm/common/errors.ts';
import { createHttpClient, type ErrorAnswer } from '../rm/common/http-client.ts';
import type { Client } from '../rm/common/route.ts';
import { logServerRoutes } from '../rm/http/log-server-routes.ts';
import type { AppInfo, ApplicationClientProtocol, ContainerInfo } from '../rm/protocol/client-rm.ts';
import { containerLogsEntries, type ContainerLogsEntry } from '../rm/protocol/container-logs-info.ts';
import { nmWebRoutes } from '../nodemanager/http/nm-web-routes.ts';

/** A container of the application, as the RM or the aggregated logs know it. */
export interface ContainerRef {
  readonly containerId: string;
  readonly nodeId: string;
  /** `host:port` of the NM, '' when the RM no longer knows it (read from the aggregated logs). */
  readonly nodeHttpAddress: string;
}

/** A log file the NM or the log server answered with an error status (a 404: no such file). */
export class LogFileNotFound extends Error {
  readonly status: number;

  constructor(answer: ErrorAnswer) {
    super(`${answer.method} ${answer.path}: HTTP ${answer.status}`);
    this.name = 'LogFileNotFound';
    this.status = answer.status;
  }
}

/** Where one container's files are read, and which files there are. */
export interface LogSource {
  readonly type: 'LOCAL' | 'AGGREGATED';
  readonly nodeId: string;
  readonly files: readonly string[];
  /** The file's text; LogFileNotFound for an error answer, UnreachableError when nobody answers. */
  readonly read: (file: string) => Promise<string>;
}

/** The containers whose logs `weft logs` reads, and the aggregated copies there are of them. */
export interface LogTargets {
  readonly app: AppInfo;
  /** Sorted by container id. */
  readonly containers: readonly ContainerRef[];
  readonly aggregated: ReadonlyMap<string, ContainerLogsEntry>;
}

type LogServer = Client<typeof logServerRoutes>;
type NmWebServices = Client<typeof nmWebRoutes>;

const TIMEOUT_MS = 15_000;

/**
 * Where an application's container logs are and how to read them, as YARN's LogsCLI finds them:
 * the RM lists the attempts' containers; once the NMs aggregated the logs
 * (yarn.log-aggregation-enable) they are read from the RM's log server, so a finished
 * application's logs outlive its NMs' local copies; containers not aggregated (yet) are read from
 * their NM, which lists each container's files (`/ws/v1/node/containers/{id}/logs`). Every call
 * goes through the typed clients of the RM's, the log server's and the NM's route tables, once
 * (a CLI reports a failure; it does not repeat it).
 */
export class ApplicationLogs {
  private readonly rm: ApplicationClientProtocol;
  private readonly logServer: LogServer;

  constructor(rm: ApplicationClientProtocol, rmUrl: string) {
    this.rm = rm;
    this.logServer = createHttpClient(rmUrl, logServerRoutes, { retries: 0, timeoutMs: TIMEOUT_MS, errorOf: (a) => new LogFileNotFound(a) });
  }

  /** The application, every container the RM still knows and every aggregated one. */
  async targets(appId: string): Promise<LogTargets> {
    const { app } = await this.rm.app({ params: { appid: appId }, body: undefined });
    const known = await this.containersOf(appId);
    const aggregated = new Map<string, ContainerLogsEntry>();
    if (app.logAggregationStatus !== 'DISABLED' && app.logAggregationStatus !== 'NOT_START') {
      const listed = await orUndefined(this.logServer.appLogs({ params: { appid: appId } }));
      for (const e of listed ? containerLogsEntries(listed) : []) aggregated.set(e.containerId, e);
    }
    const refs = new Map(known.map((r) => [r.containerId, r]));
    for (const e of aggregated.values()) if (!refs.has(e.containerId)) refs.set(e.containerId, { containerId: e.containerId, nodeId: e.nodeId, nodeHttpAddress: '' });
    return { app, containers: [...refs.values()].sort((a, b) => a.containerId.localeCompare(b.containerId)), aggregated };
  }

  /** The aggregated copy when there is one, else the NM's (which may itself serve an aggregated copy). */
  async source(ref: ContainerRef, aggregated: ContainerLogsEntry | undefined): Promise<LogSource | undefined> {
    const containerid = ref.containerId;
    if (aggregated) {
      return {
        type: 'AGGREGATED',
        nodeId: aggregated.nodeId,
        files: aggregated.containerLogInfo.map((f) => f.fileName),
        read: (filename) => this.logServer.containerLog({ params: { containerid, filename } }),
      };
    }
    if (!ref.nodeHttpAddress) return undefined;
    const nm: NmWebServices = createHttpClient(`http://${ref.nodeHttpAddress}`, nmWebRoutes, { retries: 0, timeoutMs: TIMEOUT_MS, errorOf: (a) => new LogFileNotFound(a) });
    const listed = await orUndefined(nm.containerLogs({ params: { containerid } }));
    const entries = listed ? containerLogsEntries(listed) : [];
    if (entries.length === 0) return undefined;
    // LOCAL first: while the NM still has its files they are the freshest.
    const entry = entries.find((e) => e.logAggregationType === 'LOCAL') ?? entries[0]!;
    return {
      type: entry.logAggregationType,
      nodeId: ref.nodeId,
      files: entry.containerLogInfo.map((f) => f.fileName),
      read: (filename) => nm.containerLog({ params: { containerid, filename } }),
    };
  }

  /** Every container of every attempt the RM still knows, as it lists them. */
  private async containersOf(appId: string): Promise<ContainerRef[]> {
    const { appAttempts } = await this.rm.appAttempts({ params: { appid: appId }, body: undefined });
    const refs = new Map<string, ContainerRef>();
    for (const attempt of appAttempts.appAttempt) {
      let listed: ContainerInfo[] = [];
      try {
        listed = (await this.rm.attemptContainers({ params: { appid: appId, appattemptid: attempt.appAttemptId }, body: undefined })).container;
      } catch (err) {
        if (!(err instanceof WeftError && err.kind === 'NotFound')) throw err;
      }
      if (attempt.containerId && !listed.some((c) => c.containerId === attempt.containerId)) {
        refs.set(attempt.containerId, { containerId: attempt.containerId, nodeId: attempt.nodeId, nodeHttpAddress: attempt.nodeHttpAddress });
      }
      for (const c of listed) {
        refs.set(c.containerId, { containerId: c.containerId, nodeId: c.nodeId || c.assignedNodeId, nodeHttpAddress: c.nodeHttpAddress.replace(/^https?:\/\//, '') });
      }
    }
    return [...refs.values()];
  }
}

/** A listing's answer, or undefined when there is none (an error status, unreachable, not a ContainerLogsInfo). */
async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch {
    return undefined;
  }
}
