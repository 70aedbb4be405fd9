import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { Dispatcher } from '../../runtime/dispatcher/dispatcher.ts';
import { createFlinkRestRouter } from '../../runtime/rest/index.ts';
import type { JobManagerServices, JobManagerServicesDeps } from './job-manager-services.ts';

/**
 * The real Dispatcher side of the JobManager: runtime/dispatcher's Dispatcher (blob store in the
 * container's work dir), its RPC router (JobMaster routes + blobs) and the Flink REST router.
 */
export function createJobManagerServices(deps: JobManagerServicesDeps): JobManagerServices {
  const blobDirectory = join(process.cwd(), 'blobs');
  linkWeftPackage(blobDirectory);
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
  router.use(createFlinkRestRouter({ dispatcher, resourceManager: deps.resourceManager, config: deps.config, clock: deps.clock, logger: deps.logger.child({ component: 'rest' }) }));
  return {
    dispatcher,
    handler: router,
    stop: async () => dispatcher.stop(),
  };
}

/**
 * `<blobs>/node_modules/weft` -> this package, so a job file loaded from the blob store in this
 * process (application mode, `POST /jars/:id/run`) resolves `import ... from 'weft'` by plain Node
 * resolution, through tsx, as TaskManagers' blob caches do. (job-loader's resolve hook alone maps
 * the name to a .ts URL that bypasses tsx and fails with "Unknown file extension .ts".)
 */
function linkWeftPackage(blobDirectory: string): void {
  const modules = join(blobDirectory, 'node_modules');
  const link = join(modules, 'weft');
  if (existsSync(link)) return;
  mkdirSync(modules, { recursive: true });
  symlinkSync(fileURLToPath(new URL('../../', import.meta.url)), link, 'dir');
}
