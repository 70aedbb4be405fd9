/**
 * Entry of the DistributedShell ApplicationMaster, run by a NodeManager inside the AM container:
 *   {{WEFT_HOME}}/bin/weft-run {{WEFT_HOME}}/am/distributed-shell/main.ts --num-containers 3 \
 *     --container-memory 128 --shell-command-b64 <base64> 1><LOG_DIR>/AppMaster.stdout 2><LOG_DIR>/AppMaster.stderr
 */
import { hostname } from 'node:os';
import { SystemClock } from '../../rm/common/clock.ts';
import { createRootLogger } from '../../rm/common/logger.ts';
import { NotInContainerError, readApplicationMasterContext } from '../application-master-context.ts';
import { applicationMasterConnections } from '../application-master-connections.ts';
import { parseDistributedShellArgs } from './am-arguments.ts';
import { DistributedShellApplicationMaster } from './application-master.ts';

async function main(): Promise<number> {
  const options = parseDistributedShellArgs(process.argv.slice(2));
  const context = readApplicationMasterContext(process.env);
  const logger = createRootLogger({ process: 'distributed-shell-am', destination: 2 }).child({
    appAttemptId: context.applicationAttemptId,
    // Named apart from `containerId`, which the per-container log lines bind to the shell containers.
    amContainerId: context.containerId,
  });
  const am = new DistributedShellApplicationMaster(options, {
    ...applicationMasterConnections(context),
    clock: new SystemClock(),
    logger,
    host: context.nmHost || hostname(),
  });
  const result = await am.run();
  process.stdout.write(`${JSON.stringify({ finalStatus: result.finalStatus, diagnostics: result.diagnostics })}\n`);
  // YARN's DS AM exits 0 on success and 2 otherwise; the RM takes the final status from the unregister call.
  return result.finalStatus === 'SUCCEEDED' ? 0 : 2;
}

main().then(
  // Exit explicitly: idle keep-alive sockets to the RM and NMs must not hold the container open.
  (code) => setTimeout(() => process.exit(code), 50),
  (err: unknown) => {
    const message = err instanceof NotInContainerError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`distributed-shell AM: ${message}\n`);
    process.exit(1);
  },
);
