/**
 * The JobManager (Flink AM) entry, run by a NodeManager inside the AM container:
 *   {{WEFT_HOME}}/bin/weft-run {{WEFT_HOME}}/am/flink/job-manager-main.ts --mode session|per-job|application
 *     [--job-file <path>] [--job-graph <path>] [--args <json>] [--conf k=v ...]
 *     --conf web.log.path=<LOG_DIR>/jobmanager.log 1><LOG_DIR>/jobmanager.out 2><LOG_DIR>/jobmanager.err
 * The logger writes `web.log.path` (stdout when unset); stdout is left to user code.
 */
import { SystemClock } from '../../rm/common/clock.ts';
import { createRootLogger } from '../../rm/common/logger.ts';
import { httpApplicationClientProtocol } from '../../rm/protocol/client-rm.ts';
import { flinkConfFromEnv } from '../../runtime/config/flink-conf-file.ts';
import { createFlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import { readApplicationMasterContext } from '../application-master-context.ts';
import { applicationMasterConnections } from '../application-master-connections.ts';
import { FlinkApplicationMaster } from './flink-application-master.ts';
import { parseJobManagerArguments } from './job-manager-arguments.ts';
import { createJobManagerServices } from './dispatcher-services.ts';

async function main(): Promise<number> {
  const args = parseJobManagerArguments(process.argv.slice(2));
  const context = readApplicationMasterContext(process.env);
  // The cluster's Flink configuration file first (FLINK_CONF_DIR, when the NM passes it on), what the client shipped over it.
  const config = createFlinkConfiguration([...flinkConfFromEnv(process.env), ...args.conf]);
  const logFile = config['web.log.path'];
  const logger = createRootLogger({ process: 'jobmanager', ...(logFile !== undefined ? { destination: logFile } : {}) }).child({ appAttemptId: context.applicationAttemptId, mode: args.mode });
  // The AM reads its own application report, as the app's user (simple auth), to learn why YARN
  // leaves its container requests pending.
  const clientRm = httpApplicationClientProtocol({ rmUrl: context.rmUrl, user: process.env.USER ?? 'weft', retries: 0, timeoutMs: 5000 });
  const am = new FlinkApplicationMaster({
    args,
    config,
    context,
    clock: new SystemClock(),
    logger,
    ...applicationMasterConnections(context),
    services: createJobManagerServices,
    applicationDiagnostics: async () => (await clientRm.app({ params: { appid: context.applicationId }, body: undefined })).app.diagnostics,
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => am.finish({ kind: 'killed', signal }));
  }
  const url = await am.start();
  logger.info({ ready: true, url }, 'JobManager ready');
  const outcome = await am.run();
  if (outcome.kind === 'fatal') {
    process.stderr.write(`jobmanager: fatal error: ${outcome.error.message}\n`);
    return 1;
  }
  if (outcome.kind === 'killed') return 143;
  return 0;
}

main().then(
  // Exit explicitly: keep-alive sockets to the RM, NMs and TaskManagers must not hold the container open.
  (code) => setTimeout(() => process.exit(code), 50),
  (err: unknown) => {
    process.stderr.write(`jobmanager: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
