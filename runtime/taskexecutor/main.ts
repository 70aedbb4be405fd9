import { join } from 'node:path';
import { createRootLogger } from '../../rm/common/logger.ts';
import { isMainModule } from '../../rm/common/weft-home.ts';
import { ConfigError } from '../../rm/common/config.ts';
import { parseTaskManagerArgs, type TaskManagerConfig } from './config.ts';
import { TaskManagerRunner } from './task-manager-runner.ts';

/** How long a graceful stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000;

/**
 * `runtime/taskexecutor/main.ts --jm <JobManager URL> --slots <n> --memory <MB> [--conf key=value ...]
 * [--resource-id ID] [--host H] [--dir PATH] [--log-level L]`: a TaskManager process, as the Flink
 * AM launches it in a YARN container (ResourceID = CONTAINER_ID, host = NM_HOST). Prints one JSON
 * line with `"ready":true` once its RPC and data ports listen; SIGTERM cancels its tasks,
 * disconnects and exits 0. It exits 1 when the JobManager's RM rejects it or stays unreachable.
 */
export async function main(argv: readonly string[]): Promise<void> {
  let config: TaskManagerConfig;
  try {
    config = parseTaskManagerArgs(argv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`taskmanager: ${err.message}\n`);
    process.exit(1);
  }
  if (config.workDir === null && process.env.CONTAINER_ID) {
    // In a container the working directory is the container's own; YARN removes it afterwards.
    config = { ...config, workDir: join(process.cwd(), 'taskmanager') };
  }

  // Flink's split: the log to taskmanager.log.path, stdout (print(), user code) stays stdout.
  const logFile = config.flink['taskmanager.log.path'];
  const logger = createRootLogger({ process: 'taskmanager', level: config.logLevel, ...(logFile !== undefined ? { destination: logFile } : {}) });
  let exiting = false;
  const exit = (code: number): void => {
    logger.flush();
    setImmediate(() => process.exit(code));
  };
  const stopAndExit = (code: number, cause: string): void => {
    if (exiting) return;
    exiting = true;
    const deadline = setTimeout(() => {
      logger.error('TaskManager did not stop in time; exiting');
      exit(code === 0 ? 1 : code);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    runner.stop(cause).then(
      () => exit(code),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        exit(1);
      },
    );
  };

  const runner = new TaskManagerRunner({
    config,
    logger,
    onFatalError: (err) => {
      logger.fatal({ err }, 'fatal error; the TaskManager exits');
      stopAndExit(1, err.message);
    },
  });

  process.on('SIGTERM', () => {
    logger.info({ signal: 'SIGTERM' }, 'stopping TaskManager');
    stopAndExit(0, 'TaskManager received SIGTERM');
  });
  process.on('SIGINT', () => {
    logger.info({ signal: 'SIGINT' }, 'stopping TaskManager');
    stopAndExit(0, 'TaskManager received SIGINT');
  });
  const crash = (err: unknown): void => {
    logger.fatal({ err }, 'uncaught error; exiting');
    exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  let endpoints;
  try {
    endpoints = await runner.start();
  } catch (err) {
    logger.fatal({ err }, 'TaskManager failed to start');
    await runner.stop().catch(() => {});
    return exit(1);
  }
  if (exiting) return;
  logger.info(
    { ready: true, resourceId: endpoints.resourceId, address: endpoints.address, dataAddress: endpoints.dataAddress, slots: config.numberOfSlots, jobManager: config.jobManagerUrl },
    'TaskManager started',
  );
}

if (isMainModule(import.meta.url)) {
  await main(process.argv.slice(2));
}
