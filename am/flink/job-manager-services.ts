import type { RequestHandler } from 'express';
import type { Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { FlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import type { DispatcherGateway } from '../../runtime/protocol/dispatcher-gateway.ts';
import type { ResourceManagerGateway } from '../../runtime/protocol/resource-manager-gateway.ts';

/**
 * The Dispatcher side of the JobManager process as the AM hosts it: the Dispatcher itself and
 * one express handler serving the Flink REST API, the JobMaster RPC routes and the blob
 * service. Built after the HTTP server listens, because JobMasters need the JobManager's URL.
 */
export interface JobManagerServices {
  readonly dispatcher: DispatcherGateway;
  readonly handler: RequestHandler;
  stop(): Promise<void>;
}

export interface JobManagerServicesDeps {
  readonly config: FlinkConfiguration;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly resourceManager: ResourceManagerGateway;
  /** `http://host:port` of this JobManager (RPC, blobs, REST). */
  readonly jobManagerUrl: string;
}

export type JobManagerServicesFactory = (deps: JobManagerServicesDeps) => Promise<JobManagerServices> | JobManagerServices;
