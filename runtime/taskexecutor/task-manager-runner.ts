import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock, type Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { CompositeService } from '../../rm/common/lifecycle.ts';
import { loadCompiledJob } from '../api/job-loader.ts';
import { NetworkEnvironment } from '../network/network-environment.ts';
import { NETWORK_DEFAULTS, type NetworkEnvironmentOptions } from '../network/network-options.ts';
import { taskExecutorProcessSpec } from '../config/task-executor-process-spec.ts';
import { LogDirectory } from '../rest/log-directory.ts';
import { BufferedTextOutput, type TextOutput } from '../streaming/text-output.ts';
import { BlobCache, httpBlobFetcher, type BlobFetcher } from './blob-cache.ts';
import type { TaskManagerConfig } from './config.ts';
import { JobLibrary, type JobFiles, type JobLoader } from './job-library.ts';
import { httpJobMasterGateways, type JobMasterGatewayFactory } from '../protocol/job-master-gateway.ts';
import { httpResourceManagerTaskExecutorGateway, type ResourceManagerTaskExecutorGateway } from '../protocol/resource-manager-gateway.ts';
import { TaskSlotTable } from './slot/task-slot-table.ts';
import { defaultSlotResourceProfile, TaskExecutor } from './task-executor.ts';
import { TaskExecutorServer } from './task-executor-server.ts';
import { GarbageCollectors } from '../metrics/garbage-collectors.ts';
import { taskManagerMemory } from '../metrics/task-manager-memory.ts';
import { taskManagerMetrics } from '../metrics/task-manager-metrics.ts';
import type { Task } from './task.ts';

export interface TaskManagerRunnerDeps {
  readonly config: TaskManagerConfig;
  readonly logger: Logger;
  readonly onFatalError: (error: Error) => void;
  readonly clock?: Clock;
  readonly resourceManager?: ResourceManagerTaskExecutorGateway;
  readonly jobMasters?: JobMasterGatewayFactory;
  readonly loader?: JobLoader;
  readonly blobFetcher?: BlobFetcher;
  readonly stdout?: TextOutput;
  readonly network?: Omit<NetworkEnvironmentOptions, 'clock' | 'host' | 'port'>;
  readonly collectFlushIntervalMs?: number;
}

export interface TaskManagerEndpoints {
  readonly resourceId: string;
  /** `http://host:port` serving taskExecutorRoutes. */
  readonly address: string;
  /** `host:port` of the record-channel listener. */
  readonly dataAddress: string;
}

/**
 * Everything one TaskManager process runs, wired together (used by main.ts and by in-process
 * tests): the RPC server, the network environment, the slot table, the blob cache and the
 * TaskExecutor. stop() leaves no socket, timer or temporary directory behind.
 */
export class TaskManagerRunner {
  readonly executor: TaskExecutor;
  readonly network: NetworkEnvironment;
  readonly slotTable: TaskSlotTable<Task>;
  private readonly deps: TaskManagerRunnerDeps;
  private readonly server: TaskExecutorServer;
  private readonly stdout: TextOutput;
  private readonly garbageCollectors = new GarbageCollectors();
  private readonly workDir: Promise<{ dir: string; temporary: boolean }>;
  private readonly services: CompositeService;
  private starting: Promise<void> | null = null;
  private stopped: Promise<void> | null = null;
  private stopCause: string | undefined;
  private address = '';
  private dataAddress = '';

  constructor(deps: TaskManagerRunnerDeps) {
    this.deps = deps;
    const { config, logger } = deps;
    const clock = deps.clock ?? new SystemClock();
    const flink = config.flink;
    const memory = taskExecutorProcessSpec(flink, config.memoryMb);
    // The buffer pool is the network memory of the breakdown, as Flink's NetworkBufferPool.
    const bufferSizeBytes = deps.network?.bufferSizeBytes ?? NETWORK_DEFAULTS.bufferSizeBytes;
    const totalBuffers = deps.network?.totalBuffers ?? Math.max(1, Math.floor(memory.networkMemory / bufferSizeBytes));
    this.network = new NetworkEnvironment({ ...deps.network, bufferSizeBytes, totalBuffers, clock, host: config.host, port: 0, bufferTimeoutMs: flink['execution.buffer-timeout'] });
    this.slotTable = new TaskSlotTable<Task>(config.resourceId, config.numberOfSlots, defaultSlotResourceProfile(config.memoryMb, config.numberOfSlots));
    this.workDir =
      config.workDir !== null
        ? Promise.resolve({ dir: config.workDir, temporary: false })
        : mkdtemp(join(tmpdir(), 'weft-tm-')).then((dir) => ({ dir, temporary: true }));
    this.workDir.catch(() => {});
    const blobs = new LazyDirBlobCache(config.jobManagerUrl, this.workDir, deps.blobFetcher ?? httpBlobFetcher);
    const jobs = new JobLibrary(blobs, deps.loader ?? loadCompiledJob);
    this.stdout = deps.stdout ?? new BufferedTextOutput(process.stdout);
    this.executor = new TaskExecutor({
      options: {
        resourceId: config.resourceId,
        host: config.host,
        numberOfSlots: config.numberOfSlots,
        memoryMb: config.memoryMb,
        memoryConfiguration: memory,
        heartbeatIntervalMs: flink['heartbeat.interval'],
        heartbeatTimeoutMs: flink['heartbeat.timeout'],
        ...(deps.collectFlushIntervalMs === undefined ? {} : { collectFlushIntervalMs: deps.collectFlushIntervalMs }),
      },
      clock,
      logger,
      // An RPC may take as long as a peer may stay silent (Flink's ask timeout is of that order);
      // with the heartbeat interval as timeout, a busy JobManager would fail large collect batches.
      resourceManager: deps.resourceManager ?? httpResourceManagerTaskExecutorGateway(config.jobManagerUrl, flink['heartbeat.timeout']),
      jobMasters: deps.jobMasters ?? httpJobMasterGateways({ timeoutMs: flink['heartbeat.timeout'] }),
      slotTable: this.slotTable,
      network: this.network,
      jobs,
      stdout: this.stdout,
      onFatalError: deps.onFatalError,
      metrics: () => taskManagerMemory(this.network.bufferPool, this.garbageCollectors),
    });
    const metrics = taskManagerMetrics({
      resourceId: config.resourceId,
      host: config.host,
      tasks: () => this.executor.deployedTasks,
      bufferPool: this.network.bufferPool,
      garbageCollectors: this.garbageCollectors,
    });
    this.server = new TaskExecutorServer(this.executor, logger, new LogDirectory(flink['taskmanager.log.path']), metrics);
    this.services = this.composeServices();
  }

  async start(): Promise<TaskManagerEndpoints> {
    this.starting ??= this.services.start();
    await this.starting;
    return { resourceId: this.deps.config.resourceId, address: this.address, dataAddress: this.dataAddress };
  }

  stop(cause?: string): Promise<void> {
    this.stopCause = cause;
    this.stopped ??= this.doStop();
    return this.stopped;
  }

  private async doStop(): Promise<void> {
    // A stop during start waits for it, so that what started last is stopped too.
    await this.starting?.catch(() => {});
    await this.services.stop();
    (this.stdout as Partial<BufferedTextOutput>).flush?.();
    const work = await this.workDir.catch(() => null);
    if (work?.temporary) await rm(work.dir, { recursive: true, force: true });
  }

  /** Started in this order, stopped in reverse: the executor stops first, the work dir goes last. */
  private composeServices(): CompositeService {
    return new CompositeService('TaskManagerRunner', [
      { name: 'work directory', start: async () => void (await this.workDir), stop: () => {} },
      { name: 'garbage collectors', start: () => void this.garbageCollectors.start(), stop: () => void this.garbageCollectors.stop() },
      {
        name: 'network environment',
        start: async () => void (this.dataAddress = await this.network.start()),
        stop: () => this.network.close(),
      },
      {
        name: 'RPC server',
        start: async () => void (this.address = await this.server.start(this.deps.config.host, 0)),
        stop: () => this.server.stop(),
      },
      { name: 'task executor', start: () => this.executor.start(this.address, this.dataAddress), stop: () => this.executor.stop(this.stopCause) },
    ]);
  }
}

/** A BlobCache whose directory is only known once the work directory exists. */
class LazyDirBlobCache implements JobFiles {
  private readonly cache: Promise<BlobCache>;

  constructor(jobManagerUrl: string, workDir: Promise<{ dir: string }>, fetcher: BlobFetcher) {
    this.cache = workDir.then(({ dir }) => new BlobCache(jobManagerUrl, join(dir, 'blobs'), fetcher));
    this.cache.catch(() => {});
  }

  async get(blobKey: string, fileName: string): Promise<string> {
    return (await this.cache).get(blobKey, fileName);
  }
}
