import { join } from 'node:path';
import { Router } from 'express';
import { mountPrometheus } from '../../rm/common/prometheus.ts';
import { PROMETHEUS_PATH } from '../../rm/metrics/rm-metrics.ts';
import { Dispatcher } from '../../runtime/dispatcher/dispatcher.ts';
import { historyServerArchivist } from '../../runtime/history/history-server-archivist.ts';
import { createFlinkRestRouter, type FlinkRestOptions } from '../../runtime/rest/index.ts';
import { GarbageCollectors } from '../../runtime/metrics/garbage-collectors.ts';
import { jobManagerMetrics } from '../../runtime/metrics/job-manager-metrics.ts';
import { LogDirectory } from '../../runtime/rest/log-directory.ts';
import { archivedRestResponses } from '../../runtime/rest/rest-archive.ts';
import type { JobManagerServices, JobManagerServicesDeps } from './job-manager-services.ts';

/**
 * The real Dispatcher side of the JobManager: runtime/dispatcher's Dispatcher (blob store in the
 * container's work dir), its RPC router (JobMaster routes + blobs) and the Flink REST router.
 * Finished jobs are archived for the history server from the same REST handlers.
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
    archiveJob: (jobId) => archivist.archiveJob(jobId),
  });
  const rest: FlinkRestOptions = {
    dispatcher,
    resourceManager: deps.resourceManager,
    config: deps.config,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'rest' }),
    jobManagerLogs: new LogDirectory(deps.config['web.log.path']),
  };
  const archivist = historyServerArchivist({
    archiveDir: deps.config['jobmanager.archive.fs.dir'],
    responses: (jobId) => archivedRestResponses(rest, jobId),
    logger: deps.logger.child({ component: 'history-server-archivist' }),
  });
  const garbageCollectors = new GarbageCollectors().start();
  const metrics = jobManagerMetrics({ host: new URL(deps.jobManagerUrl).hostname, clock: deps.clock, dispatcher, resourceManager: deps.resourceManager, garbageCollectors });
  const router = Router();
  router.use(dispatcher.rpcRouter());
  // Flink's PrometheusReporter serves its own port; weft serves it on the JobManager's, as the TaskManager does on its RPC port.
  mountPrometheus(router, PROMETHEUS_PATH, metrics);
  router.use(createFlinkRestRouter(rest));
  return {
    dispatcher,
    handler: router,
    stop: async () => {
      garbageCollectors.stop();
      dispatcher.stop();
    },
  };
}
