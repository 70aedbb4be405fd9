import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SystemClock } from './common/clock.ts';
import { createRootLogger } from './common/logger.ts';
import { isMainModule } from './common/weft-home.ts';
import { ConfigError, createRmConfig, rmProperties, unknownYarnKeyWarnings } from './config.ts';
import { ResourceManager } from './resource-manager.ts';
import { SqliteRmStateStore } from './store/rm-state-store.ts';
import { attachWebUiHub, mountWebUi } from '../webui/server.ts';

/**
 * The ResourceManager process. Prints one JSON line with `"ready":true` and its URL once it
 * listens; SIGTERM or SIGINT stops it cleanly.
 */
const USAGE = `usage: weft rm start [--port 8088] [--host 0.0.0.0] [--hostname localhost] [--dir .weft/rm]
                    [--config yarn-site.xml|json] [--capacity-config capacity-scheduler.xml|json]
                    [--conf yarn.key=value ...] [--log-level info]`;

function fail(message: string): never {
  process.stderr.write(`weft rm: ${message}\n${USAGE}\n`);
  process.exit(1);
}

export async function main(argv: string[]): Promise<void> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8088' },
        host: { type: 'string', default: '0.0.0.0' },
        hostname: { type: 'string', default: 'localhost' },
        dir: { type: 'string', default: '.weft/rm' },
        config: { type: 'string' },
        'capacity-config': { type: 'string' },
        conf: { type: 'string', multiple: true, default: [] },
        'log-level': { type: 'string', default: 'info' },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (0 picks a free one), got '${args.port}'`);
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
    config = createRmConfig({ port, host: args.host, hostname: args.hostname, dir: resolve(args.dir), properties });
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
