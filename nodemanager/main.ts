import { SystemClock } from '../rm/common/clock.ts';
import { createRootLogger } from '../rm/common/logger.ts';
import { isMainModule } from '../rm/common/weft-home.ts';
import { ConfigError } from '../rm/common/config.ts';
import { parseNodeManagerArgs, type NmConfig } from './config.ts';
import { ProcessExecutor } from './launcher/process-executor.ts';
import { NodeManager } from './node-manager.ts';
import { httpResourceTracker } from '../rm/protocol/resource-tracker.ts';

/** How long a graceful stop may take before the process exits anyway (close-with-grace's default). */
const STOP_DEADLINE_MS = 10_000;

/**
 * `nodemanager/main.ts --rm URL [--port 8042] [--memory MB] [--vcores N] [--dir PATH]
 * [--hostname H] [--host ADDR] [--conf key=value ...]`. Prints one JSON line with
 * `"ready":true` once listening and registered; stops every container on SIGTERM/SIGINT.
 */
export async function main(argv: readonly string[]): Promise<void> {
  let config: NmConfig;
  try {
    config = parseNodeManagerArgs(argv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`nodemanager: ${err.message}\n`);
    process.exit(1);
  }

  const logger = createRootLogger({ process: 'nodemanager', level: config.logLevel });
  const clock = new SystemClock();
  let exiting = false;
  const exit = (code: number): void => {
    logger.flush();
    // Let pino's async destination drain before leaving.
    setImmediate(() => process.exit(code));
  };

  const nm = new NodeManager({
    config,
    clock,
    logger,
    executor: new ProcessExecutor(),
    rm: httpResourceTracker(config.rmUrl),
    onShutdown: () => exit(0),
  });

  const shutdown = (signal: string): void => {
    if (exiting) {
      logger.warn({ signal }, 'second signal: exiting now');
      nm.killContainersNow();
      return exit(1);
    }
    exiting = true;
    logger.info({ signal }, 'stopping NodeManager');
    const deadline = setTimeout(() => {
      logger.error('NodeManager did not stop in time; killing containers and exiting');
      nm.killContainersNow();
      exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    nm.stop().then(
      () => exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        nm.killContainersNow();
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const crash = (err: unknown): void => {
    // A crashed NM must not leave container process groups behind.
    logger.fatal({ err }, 'uncaught error; killing containers and exiting');
    nm.killContainersNow();
    exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  try {
    await nm.start();
  } catch (err) {
    logger.fatal({ err }, 'NodeManager failed to start');
    await nm.stop().catch(() => {});
    return exit(1);
  }
  if (exiting) return;
  logger.info({ ready: true, url: nm.url, nodeId: nm.nodeId, dir: nm.baseDir }, 'NodeManager started');
}

// Runs when executed (tsx nodemanager/main.ts), not when the CLI imports main().
if (isMainModule(import.meta.url)) {
  await main(process.argv.slice(2));
}
