import { resolve } from 'node:path';
import { SystemClock } from './common/clock.ts';
import { createRootLogger } from './common/logger.ts';
import { isMainModule } from './common/weft-home.ts';
import { ConfigError, parseFlags } from './common/config.ts';
import { createRmConfig, RM_PROCESS_DEFAULTS as D, rmProperties, unknownYarnKeyWarnings } from './config.ts';
import { ResourceManager } from './resource-manager.ts';
import { SqliteRmStateStore } from './store/rm-state-store.ts';
import { attachWebUiHub, mountWebUi } from '../webui/server.ts';

/**
 * The ResourceManager process. Prints one JSON line with `"ready":true` and its URL once it
 * listens; SIGTERM or SIGINT stops it cleanly.
 */
const USAGE = `usage: weft rm start [--port ${D.port}] [--host ${D.host}] [--hostname ${D.hostname}] [--dir ${D.dir}]
                    [--config yarn-site.xml|json] [--capacity-config capacity-scheduler.xml|json]
                    [--conf yarn.key=value ...] [--log-level info]`;

function fail(message: string): never {
  process.stderr.write(`weft rm: ${message}\n${USAGE}\n`);
  process.exit(1);
}

export async function main(argv: string[]): Promise<void> {
  let args;
  try {
    args = parseFlags(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      hostname: { type: 'string' },
      dir: { type: 'string' },
      config: { type: 'string' },
      'capacity-config': { type: 'string' },
      conf: { type: 'string', multiple: true, default: [] },
      'log-level': { type: 'string', default: 'info' },
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const port = args.port === undefined ? undefined : Number(args.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) fail(`--port must be a port number (0 picks a free one), got '${args.port}'`);
  let properties;
  const warnings: string[] = [];
  try {
    properties = rmProperties([args.config, args['capacity-config']], args.conf, (w) => warnings.push(w));
    warnings.push(...unknownYarnKeyWarnings(properties));
  } catch (err) {
    fail((err as Error).message);
  }
  let config;
  try {
    config = createRmConfig({ port, host: args.host, hostname: args.hostname, dir: resolve(args.dir ?? D.dir), properties });
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const logger = createRootLogger({ process: 'resourcemanager', level: args['log-level'] });
  for (const warning of warnings) logger.warn(warning);
  let rm: ResourceManager;
  try {
    rm = new ResourceManager({
      config,
      clock: new SystemClock(),
      logger,
      store: SqliteRmStateStore.open(config.dir),
      extraRoutes: [mountWebUi],
      attachToServer: attachWebUiHub,
    });
    await rm.start();
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  logger.info({ ready: true, url: rm.url, port: Number(new URL(rm.url).port), dir: config.dir, scheduler: config.schedulerType }, 'ResourceManager started');

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'ResourceManager stopping');
    const deadline = setTimeout(() => process.exit(1), 10_000);
    deadline.unref();
    rm.stop().then(
      () => {
        logger.info('ResourceManager stopped');
        logger.flush(() => process.exit(0));
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
}

if (isMainModule(import.meta.url)) {
  await main(process.argv.slice(2));
}
