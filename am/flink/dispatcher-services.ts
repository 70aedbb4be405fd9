import { join } from 'node:path';
import { Router } from 'express';
import { Dispatcher } from '../../runtime/dispatcher/dispatcher.ts';
import { createFlinkRestRouter } from '../../runtime/rest/index.ts';
import { LogDirectory } from '../../runtime/rest/log-directory.ts';
import type { JobManagerServices, JobManagerServicesDeps } from './job-manager-services.ts';

/**
 * The real Dispatcher side of the JobManager: runtime/dispatcher's Dispatcher (blob store in the
 * container's work dir), its RPC router (JobMaster routes + blobs) and the Flink REST router.
 */
export function createJobManagerServices(deps: JobManagerServicesDeps): JobManagerServices {
  const blobDirectory = join(process.cwd(), 'blobs');
  const dispatcher = new Dispatcher({
    config: deps.config,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'dispatcher' }),
    resourceManager: deps.resourceManager,
    jobManagerAddress: deps.jobManagerUrl,
    blobDirectory,
  });
  const router = Router();
  router.use(dispatcher.rpcRouter());
  router.use(
    createFlinkRestRouter({
      dispatcher,
      resourceManager: deps.resourceManager,
      config: deps.config,
      clock: deps.clock,
      logger: deps.logger.child({ component: 'rest' }),
      jobManagerLogs: new LogDirectory(deps.config['web.log.path']),
    }),
  );
  return {
    dispatcher,
    handler: router,
    stop: async () => dispatcher.stop(),
  };
}
