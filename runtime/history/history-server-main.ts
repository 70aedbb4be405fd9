/**
 * The Flink history server process (Flink's historyserver.sh):
 *   {{WEFT_HOME}}/bin/weft-run {{WEFT_HOME}}/runtime/history/history-server-main.ts [--conf key=value ...]
 * Its configuration is `$FLINK_CONF_DIR`'s file with `--conf` pairs over it; it needs
 * `historyserver.archive.fs.dir`. Prints one JSON line with `"ready":true` and its URL once it
 * listens; SIGTERM or SIGINT stops it.
 */
import { parseFlags, parseKeyValues } from '../../rm/common/config.ts';
import { SystemClock } from '../../rm/common/clock.ts';
import { createRootLogger } from '../../rm/common/logger.ts';
import { mountFlinkDashboard } from '../../webui/flink/dashboard.ts';
import { flinkConfFromEnv } from '../config/flink-conf-file.ts';
import { createFlinkConfiguration } from '../config/flink-configuration.ts';
import { HistoryServer } from './history-server.ts';

function fail(message: string): never {
  process.stderr.write(`historyserver: ${message}\nusage: weft history start [--port 8082] [--archive-dir <dir>[,<dir>...]] [-D key=value ...]\n`);
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  let server: HistoryServer;
  const logger = createRootLogger({ process: 'historyserver' });
  try {
    const values = parseFlags(argv, { conf: { type: 'string', multiple: true, default: [] } });
    const config = createFlinkConfiguration([...flinkConfFromEnv(process.env), ...parseKeyValues(values.conf, '--conf')]);
    server = new HistoryServer({ config, clock: new SystemClock(), logger, mountDashboard: (app) => mountFlinkDashboard(app) });
    await server.start();
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  logger.info({ ready: true, url: server.url }, 'HistoryServer ready');
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'HistoryServer stopping');
    server.stop().then(
      () => logger.flush(() => process.exit(0)),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main(process.argv.slice(2));
