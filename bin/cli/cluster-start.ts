import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NmYarnConf } from '../../nodemanager/config.ts';
import type { CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { writeClusterFlinkConf } from './cluster-flink-conf.ts';
import { describeExit, spawnDaemon, stopDaemon, type Daemon, type ExitInfo } from './daemon-process.ts';
import { describeLocalClusterConf, effectiveLocalClusterConf, localClusterConf, withLocalClusterConf } from './local-cluster-conf.ts';
import { HISTORY_SERVER_ENTRY } from './history-start.ts';

export interface ClusterStartOptions {
  readonly nodes: string;
  readonly nodeMemory: string;
  readonly nodeVcores: string;
  readonly port: string;
  readonly dir: string;
  readonly hostname: string;
  readonly conf: readonly string[];
  /** historyserver.web.port; the default 8082 falls back to a free port when taken. */
  readonly historyPort?: string;
  /** false with --no-history-server. */
  readonly historyServer?: boolean;
}

/** Flink's default historyserver.web.port. */
const DEFAULT_HISTORY_PORT = 8082;

function int(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new CliError(`option '--${name}' must be an integer >= ${min}, got '${raw}'`);
  return n;
}

/** Keys both daemons read: the NMs aggregate logs where the RM serves and expires them. */
const SHARED_KEYS = new Set(['yarn.log-aggregation-enable', 'yarn.nodemanager.remote-app-log-dir', 'yarn.nodemanager.remote-app-log-dir-suffix']);

/** NodeManager keys go to the NMs, everything else to the RM, shared keys to both (each daemon validates its own). */
export function splitConf(conf: readonly string[]): { rm: string[]; nm: string[] } {
  const rm: string[] = [];
  const nm: string[] = [];
  for (const kv of conf) {
    if (!/^[^=\s]+=/.test(kv)) throw new CliError(`option '--conf' expects key=value, got '${kv}'`);
    const key = kv.slice(0, kv.indexOf('='));
    if (SHARED_KEYS.has(key)) {
      rm.push('--conf', kv);
      nm.push('--conf', kv);
    } else {
      (key.startsWith('yarn.nodemanager.') ? nm : rm).push('--conf', kv);
    }
  }
  return { rm, nm };
}

/**
 * What a local cluster sets before the user's `--conf`: log aggregation on, into `<dir>/app-logs`
 * (so `weft logs` and the UI read finished applications), and FLINK_CONF_DIR passed on to
 * containers (appended to the user's env-whitelist if they give one).
 */
export function localClusterLogConf(dir: string, userConf: readonly string[]): string[] {
  const whitelistKey = 'yarn.nodemanager.env-whitelist';
  const userWhitelist = [...userConf].reverse().find((kv) => kv.startsWith(`${whitelistKey}=`));
  const whitelist = userWhitelist ? userWhitelist.slice(whitelistKey.length + 1) : NmYarnConf.parse({})[whitelistKey];
  return [
    'yarn.log-aggregation-enable=true',
    `yarn.nodemanager.remote-app-log-dir=${join(dir, 'app-logs')}`,
    ...userConf.filter((kv) => !kv.startsWith(`${whitelistKey}=`)),
    `${whitelistKey}=${[...whitelist.split(',').map((v) => v.trim()).filter((v) => v && v !== 'FLINK_CONF_DIR'), 'FLINK_CONF_DIR'].join(',')}`,
  ];
}

type Stop = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'died'; daemon: Daemon; exit: ExitInfo };

/**
 * `weft cluster start`: one RM, N NMs and a Flink history server as separate processes on this
 * host, the RM with the local-cluster scheduler settings (local-cluster-conf.ts). Runs until
 * Ctrl-C or SIGTERM, then stops the NMs (which stop their containers), the RM and the history
 * server, leaving no process behind. If any daemon dies on its own, the rest are stopped and weft
 * exits 1.
 */
export async function clusterStart(ctx: CliContext, options: ClusterStartOptions): Promise<number> {
  const nodeCount = int('nodes', options.nodes, 0);
  const memory = int('node-memory', options.nodeMemory, 1);
  const vcores = int('node-vcores', options.nodeVcores, 1);
  const port = int('port', options.port, 0);
  const local = localClusterConf({ memoryMb: memory, vcores });
  const schedulerConf = effectiveLocalClusterConf(local, options.conf);
  const historyOn = options.historyServer !== false;
  const historyPort = options.historyPort === undefined ? DEFAULT_HISTORY_PORT : int('history-port', options.historyPort, 0);
  const dir = resolve(options.dir);
  const conf = splitConf(localClusterLogConf(dir, options.conf));
  const logDir = join(dir, 'logs');
  const confDir = join(dir, 'conf');
  const archiveDir = join(dir, 'completed-jobs');
  mkdirSync(logDir, { recursive: true });

  let signalled: (s: NodeJS.Signals) => void = () => {};
  const stopRequested = new Promise<Stop>((res) => {
    signalled = (signal) => res({ kind: 'signal', signal });
  });
  const onSignal = (signal: NodeJS.Signals): void => signalled(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  let rm: Daemon | undefined;
  let history: Daemon | undefined;
  const nms: Daemon[] = [];
  const stopAll = async (): Promise<void> => {
    // NMs first: they kill their containers and unregister while the RM still listens.
    await Promise.all(nms.map((nm) => stopDaemon(nm)));
    if (rm) await stopDaemon(rm);
    if (history) await stopDaemon(history);
  };
  const startHistory = (p: number): Daemon =>
    spawnDaemon('HistoryServer', HISTORY_SERVER_ENTRY, ['--conf', `historyserver.archive.fs.dir=${archiveDir}`, '--conf', `historyserver.web.address=${options.hostname}`, '--conf', `historyserver.web.port=${p}`], {
      logFile: join(logDir, 'historyserver.log'),
      // Keys a user added to the cluster's flink-conf.yaml (refresh interval, retained jobs) apply; the flags above win.
      env: { FLINK_CONF_DIR: confDir },
    });
  const untilReadyOrStop = async <T>(p: Promise<T>): Promise<T> => {
    const r = await Promise.race([p.then((v) => ({ ok: v })), stopRequested]);
    if ('ok' in r) return r.ok;
    throw new CliError(`interrupted by ${r.kind === 'signal' ? r.signal : 'a daemon exit'} while starting`, 130);
  };

  try {
    try {
      rm = spawnDaemon('ResourceManager', 'rm/main.ts', ['--port', String(port), '--hostname', options.hostname, '--dir', join(dir, 'rm'), ...withLocalClusterConf(local, conf.rm)], {
        logFile: join(logDir, 'resourcemanager.log'),
      });
      const rmReady = await untilReadyOrStop(rm.ready);
      const rmUrl = String(rmReady.url);
      for (let i = 0; i < nodeCount; i++) {
        const args = ['--rm', rmUrl, '--port', '0', '--hostname', options.hostname, '--memory', String(memory), '--vcores', String(vcores), '--dir', join(dir, `nm-${i}`), ...conf.nm];
        // FLINK_CONF_DIR reaches containers through the env-whitelist: JobManagers read the cluster's Flink configuration.
        nms.push(spawnDaemon(`NodeManager ${i}`, 'nodemanager/main.ts', args, { logFile: join(logDir, `nodemanager-${i}.log`), env: { FLINK_CONF_DIR: confDir } }));
      }
      let historyUrl: string | undefined;
      if (historyOn) {
        history = startHistory(historyPort);
        let ready: Record<string, unknown>;
        try {
          ready = await untilReadyOrStop(history.ready);
        } catch (err) {
          // Flink's 8082 taken (another history server, another cluster): any free port, printed below.
          if (options.historyPort !== undefined || !/is in use/.test((err as Error).message)) throw err;
          history = startHistory(0);
          ready = await untilReadyOrStop(history.ready);
        }
        historyUrl = String(ready.url);
        writeClusterFlinkConf(confDir, { archiveDir, historyHost: options.hostname, historyPort: Number(new URL(historyUrl).port) });
      }
      const nmReady = await untilReadyOrStop(Promise.all(nms.map((nm) => nm.ready)));
      const nodes = nmReady.map((r, i) => ({ nodeId: String(r.nodeId), url: String(r.url), pid: nms[i]!.pid }));
      if (ctx.json) {
        ctx.out(`${JSON.stringify({ ready: true, url: rmUrl, rmPid: rm.pid, nodes, dir, logDir, conf: Object.fromEntries(schedulerConf), ...(history && historyUrl ? { historyServer: { url: historyUrl, pid: history.pid, archiveDir } } : {}), flinkConfDir: confDir })}\n`);
      } else {
        ctx.out(
          [
            `ResourceManager: ${rmUrl}  (web UI; REST at ${rmUrl}/ws/v1/cluster)`,
            ...nodes.map((n, i) => `NodeManager ${i}:   ${n.nodeId}  ${n.url}`),
            describeLocalClusterConf(schedulerConf),
            ...(historyUrl ? [`Flink history server: ${historyUrl}  (finished Flink jobs, archived to ${archiveDir})`] : []),
            `State and logs in ${dir} (daemon logs in ${logDir}; finished apps' container logs in ${join(dir, 'app-logs')})`,
            `Try: weft --rm ${rmUrl} dshell --num-containers 2 -- 'echo hello from $CONTAINER_ID'`,
            'Press Ctrl-C to stop the cluster.',
            '',
          ].join('\n'),
        );
      }
    } catch (err) {
      await stopAll();
      throw err;
    }

    const daemons = [rm, ...nms, ...(history ? [history] : [])];
    const stop = await Promise.race([stopRequested, ...daemons.map((d) => d.exited.then((exit): Stop => ({ kind: 'died', daemon: d, exit })))]);
    if (stop.kind === 'died') ctx.err(`weft: the ${stop.daemon.name} exited unexpectedly (${describeExit(stop.exit)}); stopping the cluster\n`);
    else if (!ctx.json) ctx.out('Stopping the cluster...\n');
    await stopAll();
    if (!ctx.json && stop.kind === 'signal') ctx.out('Cluster stopped.\n');
    return stop.kind === 'died' ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
