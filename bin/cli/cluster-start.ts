import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { describeExit, spawnDaemon, stopDaemon, type Daemon, type ExitInfo } from './daemon-process.ts';
import { describeLocalClusterConf, effectiveLocalClusterConf, localClusterConf, withLocalClusterConf } from './local-cluster-conf.ts';

export interface ClusterStartOptions {
  readonly nodes: string;
  readonly nodeMemory: string;
  readonly nodeVcores: string;
  readonly port: string;
  readonly dir: string;
  readonly hostname: string;
  readonly conf: readonly string[];
}

function int(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new CliError(`option '--${name}' must be an integer >= ${min}, got '${raw}'`);
  return n;
}

/** NodeManager keys go to the NMs, everything else to the RM (each daemon validates its own). */
export function splitConf(conf: readonly string[]): { rm: string[]; nm: string[] } {
  const rm: string[] = [];
  const nm: string[] = [];
  for (const kv of conf) {
    if (!/^[^=\s]+=/.test(kv)) throw new CliError(`option '--conf' expects key=value, got '${kv}'`);
    (kv.startsWith('yarn.nodemanager.') ? nm : rm).push('--conf', kv);
  }
  return { rm, nm };
}

type Stop = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'died'; daemon: Daemon; exit: ExitInfo };

/**
 * `weft cluster start`: one RM and N NMs as separate processes on this host, the RM with the
 * local-cluster scheduler settings (local-cluster-conf.ts). Runs until Ctrl-C
 * or SIGTERM, then stops the NMs (which stop their containers) and the RM, leaving no process
 * behind. If any daemon dies on its own, the rest are stopped and weft exits 1.
 */
export async function clusterStart(ctx: CliContext, options: ClusterStartOptions): Promise<number> {
  const nodeCount = int('nodes', options.nodes, 0);
  const memory = int('node-memory', options.nodeMemory, 1);
  const vcores = int('node-vcores', options.nodeVcores, 1);
  const port = int('port', options.port, 0);
  const conf = splitConf(options.conf);
  const local = localClusterConf({ memoryMb: memory, vcores });
  const schedulerConf = effectiveLocalClusterConf(local, options.conf);
  const dir = resolve(options.dir);
  const logDir = join(dir, 'logs');
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
  const nms: Daemon[] = [];
  const stopAll = async (): Promise<void> => {
    // NMs first: they kill their containers and unregister while the RM still listens.
    await Promise.all(nms.map((nm) => stopDaemon(nm)));
    if (rm) await stopDaemon(rm);
  };
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
        nms.push(spawnDaemon(`NodeManager ${i}`, 'nodemanager/main.ts', args, { logFile: join(logDir, `nodemanager-${i}.log`) }));
      }
      const nmReady = await untilReadyOrStop(Promise.all(nms.map((nm) => nm.ready)));
      const nodes = nmReady.map((r, i) => ({ nodeId: String(r.nodeId), url: String(r.url), pid: nms[i]!.pid }));
      if (ctx.json) {
        ctx.out(`${JSON.stringify({ ready: true, url: rmUrl, rmPid: rm.pid, nodes, dir, logDir, conf: Object.fromEntries(schedulerConf) })}\n`);
      } else {
        ctx.out(
          [
            `ResourceManager: ${rmUrl}  (web UI; REST at ${rmUrl}/ws/v1/cluster)`,
            ...nodes.map((n, i) => `NodeManager ${i}:   ${n.nodeId}  ${n.url}`),
            describeLocalClusterConf(schedulerConf),
            `State and logs in ${dir} (daemon logs in ${logDir})`,
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

    const daemons = [rm, ...nms];
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
