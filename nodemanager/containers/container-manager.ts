import { closeSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Cancel, Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { applicationIdOfAttempt, applicationIdOfContainer } from '../../rm/protocol/ids.ts';
import type { FailedRequest, GetContainerStatusesResponse, StartContainerRequest, StartContainersResponse, StopContainersResponse } from '../../rm/protocol/nm-container.ts';
import { ContainerDiagnostics, ContainerExitStatus, type ContainerStatus } from '../../rm/protocol/records.ts';
import { ContainerTokenIdentifier, peekToken, type NMTokenIdentifier } from '../../rm/protocol/tokens.ts';
import type { NmConfig } from '../config.ts';
import type { ContainerExecutor, ProcessExit } from '../launcher/container-executor.ts';
import {
  WEFT_HOME,
  appLogDir,
  buildEnvironment,
  containerPaths,
  expandCommand,
  localizeResources,
  makeContainerDirs,
  writeContainerTokens,
} from '../launcher/container-launch.ts';
import { ProcessGroupKiller } from '../launcher/process-group-killer.ts';
import type { NodeManagerMetrics } from '../metrics/node-manager-metrics.ts';
import type { LogAggregationService } from '../logaggregation/log-aggregation-service.ts';
import type { NmContext } from '../nm-context.ts';
import { checkContainerToken } from '../security/token-checks.ts';
import { NmApplication, NmApplicationState } from './application.ts';
import { Container } from './container.ts';

export interface ContainerManagerDeps {
  readonly context: NmContext;
  readonly config: NmConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly executor: ContainerExecutor;
  /** Local and log dirs live under it. */
  readonly baseDir: string;
  /** The NM's own environment, the source of whitelisted variables. */
  readonly nmEnv: Readonly<Record<string, string | undefined>>;
  /** Moves finished apps' logs to the remote app log dir when `yarn.log-aggregation-enable`. */
  readonly logAggregation?: LogAggregationService;
  /** Counts launches and ends (NodeManagerMetrics). */
  readonly metrics?: NodeManagerMetrics;
}

const INVALID_TOKEN = 'org.apache.hadoop.security.token.SecretManager$InvalidToken';
const YARN_EXCEPTION = 'org.apache.hadoop.yarn.exceptions.YarnException';
const STDERR_TAIL_BYTES = 4096;

const failure = (containerId: string, message: string, className = YARN_EXCEPTION): FailedRequest => ({
  containerId,
  exception: { message, className },
});

/**
 * The ContainerManagementProtocol side of the NM (YARN's ContainerManagerImpl): checks tokens,
 * drives each container's state machine, and performs the effects around it (directories,
 * localization, spawn, kill escalation, cleanup).
 */
export class ContainerManager {
  private readonly deps: ContainerManagerDeps;
  private readonly logger: Logger;
  private readonly killer: ProcessGroupKiller;
  /** Containers ever started here, until their token expires: a token starts one container once. */
  private readonly started = new Map<string, number>();
  /** Kills and leftover-group cleanups under way; stop() waits for them. */
  private readonly inflight = new Set<Promise<void>>();
  /** App dir and log deletions scheduled after an application finished. */
  private readonly deletions = new Set<Cancel>();
  private stopping = false;

  constructor(deps: ContainerManagerDeps) {
    this.deps = deps;
    this.logger = deps.logger.child({ component: 'nm.container-manager' });
    this.killer = new ProcessGroupKiller({
      executor: deps.executor,
      clock: deps.clock,
      sigkillDelayMs: deps.config.conf['yarn.nodemanager.sleep-delay-before-sigkill.ms'],
      logger: this.logger,
    });
  }

  get containers(): ReadonlyMap<string, Container> {
    return this.deps.context.containers;
  }

  startContainers(requests: readonly StartContainerRequest[]): StartContainersResponse {
    const succeededRequests: string[] = [];
    const failedRequests: FailedRequest[] = [];
    for (const request of requests) {
      const result = this.startContainer(request);
      if (result.ok) succeededRequests.push(result.containerId);
      else failedRequests.push(result.failure);
    }
    return { servicesMetaData: {}, succeededRequests, failedRequests };
  }

  /** Stop by the ApplicationMaster that owns the containers (its NMToken names the attempt). */
  stopContainers(containerIds: readonly string[], caller: NMTokenIdentifier): StopContainersResponse {
    const succeededRequests: string[] = [];
    const failedRequests: FailedRequest[] = [];
    for (const id of containerIds) {
      const denied = this.authorize(id, caller);
      if (denied) {
        failedRequests.push(denied);
        continue;
      }
      const container = this.containers.get(id);
      if (!container) {
        failedRequests.push(failure(id, `Container ${id} is not handled by this NodeManager`));
        continue;
      }
      this.killContainer(id, ContainerExitStatus.KILLED_BY_APPMASTER, ContainerDiagnostics.KILLED_BY_APPMASTER);
      succeededRequests.push(id);
    }
    return { succeededRequests, failedRequests };
  }

  getContainerStatuses(containerIds: readonly string[], caller: NMTokenIdentifier): GetContainerStatusesResponse {
    const containerStatuses: ContainerStatus[] = [];
    const failedRequests: FailedRequest[] = [];
    for (const id of containerIds) {
      const denied = this.authorize(id, caller);
      if (denied) {
        failedRequests.push(denied);
        continue;
      }
      const container = this.containers.get(id);
      if (container) containerStatuses.push(container.toStatus());
      else failedRequests.push(failure(id, `Container ${id} is not handled by this NodeManager`));
    }
    return { containerStatuses, failedRequests };
  }

  /**
   * Kills a container with the status to report (-104 memory, -105 AM, -106 RM, -107 app done;
   * undefined = the process's own code). A container that already exited keeps its status.
   */
  killContainer(id: string, exitStatus: number | undefined, diagnostics: string): void {
    const container = this.containers.get(id);
    if (!container) return;
    const before = container.state;
    const after = container.handle({ type: 'KILL_CONTAINER', ...(exitStatus !== undefined ? { exitStatus } : {}), diagnostics });
    if (before === 'RUNNING' && after === 'KILLING' && container.pid !== undefined) {
      container.logger.info({ pid: container.pid, exitStatus }, 'killing container');
      this.track(this.killer.kill(container.pid));
    } else if (after === 'DONE' && before !== 'DONE') {
      this.containerDone(container, true);
    }
  }

  /** applicationsToCleanup from the RM: kill what still runs (-107), then clean up the app. */
  cleanupApplication(appId: string): void {
    const app = this.deps.context.applications.get(appId);
    if (!app || app.finishing) return;
    app.state = NmApplicationState.FINISHING_CONTAINERS_WAIT;
    this.logger.info({ appId }, 'application finished on the RM; stopping its containers');
    for (const id of app.containerIds) {
      this.killContainer(id, ContainerExitStatus.KILLED_AFTER_APP_COMPLETION, 'Container killed on application-finish event');
    }
    this.maybeFinishApplication(app);
  }

  /** Every container the RM has not yet told us to forget: running ones and completed ones. */
  statusesForHeartbeat(): ContainerStatus[] {
    return [...this.containers.values()].map((c) => c.toStatus());
  }

  /** containersToBeRemovedFromNm: the AM has seen these completed statuses; stop re-sending them. */
  removeCompleted(ids: readonly string[]): void {
    for (const id of ids) {
      const c = this.containers.get(id);
      if (c?.isDone) {
        this.deps.context.containers.delete(id);
        this.deps.context.applications.get(c.appId)?.containerIds.delete(id);
      }
    }
  }

  /** Stops every container (SIGTERM, SIGKILL after the delay) and waits until they are gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const cancel of this.deletions) cancel();
    this.deletions.clear();
    for (const c of this.containers.values()) {
      if (!c.isDone) this.killContainer(c.id, undefined, 'Container killed on NodeManager shutdown');
    }
    const grace = this.deps.config.conf['yarn.nodemanager.sleep-delay-before-sigkill.ms'] + 5000;
    let cancelTimeout: Cancel = () => {};
    const timeout = new Promise<'timeout'>((resolve) => {
      cancelTimeout = this.deps.clock.schedule(grace, () => resolve('timeout'));
    });
    for (;;) {
      const pending = [...this.inflight];
      if (pending.length === 0) break;
      if ((await Promise.race([Promise.all(pending), timeout])) === 'timeout') {
        this.logger.error({ pending: pending.length }, 'containers did not stop in time; sending SIGKILL');
        for (const c of this.containers.values()) if (c.pid !== undefined) this.deps.executor.signal(c.pid, 'SIGKILL');
        break;
      }
    }
    cancelTimeout();
    await this.aggregateOnStop();
  }

  /**
   * As YARN's LogAggregationService on stop: the logs of apps not yet aggregated here are
   * uploaded now their containers are gone, so a stopped cluster keeps them readable.
   */
  private async aggregateOnStop(): Promise<void> {
    const aggregation = this.deps.logAggregation;
    if (!aggregation?.enabled) return;
    const apps = [...this.deps.context.applications.values()].filter((a) => !aggregation.hasRun(a.id));
    await Promise.all(apps.map((a) => aggregation.aggregate(a.id, a.user)));
    await aggregation.drain();
  }

  /** Last-resort kill when the NM process itself is dying (uncaught exception): no waiting. */
  killAllNow(): void {
    for (const c of this.containers.values()) if (c.pid !== undefined && !c.isDone) this.deps.executor.signal(c.pid, 'SIGKILL');
  }

  private startContainer(request: StartContainerRequest): { ok: true; containerId: string } | { ok: false; failure: FailedRequest } {
    const { context, clock } = this.deps;
    const claimedId = peekToken(request.containerToken, ContainerTokenIdentifier)?.containerId ?? '';
    if (this.stopping) return { ok: false, failure: failure(claimedId, 'NodeManager is shutting down') };
    const check = checkContainerToken(request.containerToken, context.keys.containerTokens, context.nodeId, clock.now());
    if (!check.ok) {
      this.logger.warn({ containerId: claimedId, reason: check.reason }, 'refused to start a container: bad container token');
      return { ok: false, failure: failure(claimedId, `Unauthorized request to start container. ${check.reason}`, INVALID_TOKEN) };
    }
    const token = check.identifier;
    const id = token.containerId;
    this.pruneStarted();
    if (this.started.has(id) || context.containers.has(id)) {
      return { ok: false, failure: failure(id, `Container ${id} already is running on this node!!`) };
    }
    const appId = applicationIdOfContainer(id)!;
    let app = context.applications.get(appId);
    if (app?.finishing) return { ok: false, failure: failure(id, `Application ${appId} has finished on this node; not starting ${id}`) };
    this.started.set(id, token.expiryTimeStamp);
    if (!app) {
      app = new NmApplication(appId, token.appSubmitter);
      context.applications.set(appId, app);
    }
    const paths = containerPaths(this.deps.baseDir, token.appSubmitter, appId, id);
    const container = new Container({
      id,
      appId,
      token,
      launchContext: request.containerLaunchContext,
      workDir: paths.workDir,
      logDir: paths.logDir,
      createdAt: clock.now(),
      logger: this.deps.logger.child({ containerId: id, appId }),
    });
    context.containers.set(id, container);
    app.containerIds.add(id);
    container.logger.info({ user: token.appSubmitter, resource: token.resource }, 'Start request for container');
    this.localizeAndLaunch(container, paths.appLocalDir);
    return { ok: true, containerId: id };
  }

  private localizeAndLaunch(container: Container, appLocalDir: string): void {
    container.handle({ type: 'INIT_CONTAINER' });
    let tokenFile: string | undefined;
    try {
      makeContainerDirs({ appLocalDir, workDir: container.workDir, logDir: container.logDir });
      if (container.launchContext.tokens !== undefined) {
        const written = writeContainerTokens(container.workDir, container.launchContext.tokens);
        if (!written.ok) return this.localizationFailed(container, written.diagnostics);
        tokenFile = written.path;
      }
      const localized = localizeResources(container.launchContext.localResources, container.workDir);
      if (!localized.ok) return this.localizationFailed(container, localized.diagnostics);
    } catch (err) {
      return this.localizationFailed(container, `Failed to prepare container directories: ${(err as Error).message}`);
    }
    container.handle({ type: 'RESOURCE_LOCALIZED' });
    this.launch(container, appLocalDir, tokenFile);
  }

  private localizationFailed(container: Container, diagnostics: string): void {
    container.logger.warn({ diagnostics }, 'localization failed');
    container.handle({ type: 'RESOURCE_FAILED', diagnostics });
    container.handle({ type: 'CONTAINER_RESOURCES_CLEANEDUP' });
    this.containerDone(container);
  }

  private launch(container: Container, appLocalDir: string, tokenFile: string | undefined): void {
    const { context, config, nmEnv } = this.deps;
    const finals: Record<string, string> = {
      CONTAINER_ID: container.id,
      NM_HOST: context.hostname,
      NM_PORT: String(context.httpPort),
      NM_HTTP_PORT: String(context.httpPort),
      LOCAL_DIRS: appLocalDir,
      LOG_DIRS: container.logDir,
      USER: container.user,
      LOGNAME: container.user,
      HOME: nmEnv.HOME ?? container.workDir,
      PWD: container.workDir,
      WEFT_HOME,
      WEFT_NODE: process.execPath,
      ...(tokenFile !== undefined ? { HADOOP_TOKEN_FILE_LOCATION: tokenFile } : {}),
    };
    const env = buildEnvironment({
      nmEnv,
      whitelist: config.conf['yarn.nodemanager.env-whitelist'].split(',').map((s) => s.trim()).filter(Boolean),
      launchEnv: container.launchContext.environment,
      finals,
      logDir: container.logDir,
    });
    const script = expandCommand(container.launchContext.commands, container.logDir);
    let launched;
    try {
      launched = this.deps.executor.launch({
        containerId: container.id,
        script,
        cwd: container.workDir,
        env,
        stdoutPath: join(container.logDir, 'stdout'),
        stderrPath: join(container.logDir, 'stderr'),
      });
    } catch (err) {
      this.launchFailed(container, (err as Error).message);
      return;
    }
    if (launched.pid <= 0) {
      void launched.exited.then((exit) => this.launchFailed(container, exit.launchError ?? 'spawn failed'));
      return;
    }
    container.handle({ type: 'CONTAINER_LAUNCHED', pid: launched.pid });
    this.deps.metrics?.launched();
    container.logger.info({ pid: launched.pid }, 'container launched');
    this.track(launched.exited.then((exit) => this.processExited(container, exit)));
  }

  private launchFailed(container: Container, message: string): void {
    container.handle({ type: 'CONTAINER_EXITED_WITH_FAILURE', exitCode: -1, diagnostics: `Exception from container-launch: ${message}` });
    container.handle({ type: 'CONTAINER_RESOURCES_CLEANEDUP' });
    this.containerDone(container);
  }

  private async processExited(container: Container, exit: ProcessExit): Promise<void> {
    const code = exit.exitCode;
    container.logger.info({ exitCode: code, signal: exit.signal, state: container.state }, 'container process exited');
    const killed = container.state === 'KILLING';
    if (killed) {
      container.handle({ type: 'CONTAINER_KILLED_ON_REQUEST', exitCode: code });
    } else if (code === 0) {
      container.handle({ type: 'CONTAINER_EXITED_WITH_SUCCESS' });
    } else {
      container.handle({ type: 'CONTAINER_EXITED_WITH_FAILURE', exitCode: code, diagnostics: this.failureDiagnostics(container, code) });
    }
    // Whatever the shell left behind in its group goes too: no orphans outlive their container.
    const pid = container.pid;
    if (pid !== undefined && this.deps.executor.isAlive(pid)) await this.killer.kill(pid);
    container.handle({ type: 'CONTAINER_RESOURCES_CLEANEDUP' });
    this.containerDone(container, killed);
  }

  /** ContainerExecutor's wording, with the tail of stderr so the AM and the user see why. */
  private failureDiagnostics(container: Container, code: number): string {
    const tail = readTail(join(container.logDir, 'stderr'), STDERR_TAIL_BYTES);
    return (
      `Exception from container-launch.\nContainer id: ${container.id}\nExit code: ${code}\n` +
      `Container exited with a non-zero exit code ${code}.` +
      (tail ? ` Last ${STDERR_TAIL_BYTES} bytes of stderr :\n${tail}` : '')
    );
  }

  private containerDone(container: Container, killed = false): void {
    container.finishedAt = this.deps.clock.now();
    this.deps.metrics?.ended(container.exitStatus, killed);
    container.logger.info({ exitStatus: container.exitStatus }, 'container completed');
    const app = this.deps.context.applications.get(container.appId);
    if (app) this.maybeFinishApplication(app);
  }

  /** Once an app the RM finished has no live container: delete its local dirs, later its logs. */
  private maybeFinishApplication(app: NmApplication): void {
    if (app.state !== NmApplicationState.FINISHING_CONTAINERS_WAIT) return;
    for (const id of app.containerIds) if (this.containers.get(id)?.isDone === false) return;
    app.state = NmApplicationState.APPLICATION_RESOURCES_CLEANINGUP;
    const { conf } = this.deps.config;
    const appDir = join(this.deps.baseDir, 'usercache', app.user, 'appcache', app.id);
    this.deleteLater(conf['yarn.nodemanager.delete.debug-delay-sec'] * 1000, appDir);
    const logs = appLogDir(this.deps.baseDir, app.id);
    const aggregation = this.deps.logAggregation;
    if (aggregation?.enabled) {
      // Aggregated logs are read from the remote dir from now on; a failed upload keeps them here.
      this.track(
        aggregation.aggregate(app.id, app.user).then((report) => {
          if (this.stopping) return;
          const delaySec = report.logAggregationStatus === 'SUCCEEDED' ? conf['yarn.nodemanager.delete.debug-delay-sec'] : conf['yarn.nodemanager.log.retain-seconds'];
          this.deleteLater(delaySec * 1000, logs);
        }),
      );
    } else {
      // Logs stay readable (weft logs, NM REST) for log.retain-seconds after the app finished.
      this.deleteLater(conf['yarn.nodemanager.log.retain-seconds'] * 1000, logs);
    }
    app.state = NmApplicationState.FINISHED;
    this.logger.info({ appId: app.id }, 'application cleaned up');
  }

  private deleteLater(delayMs: number, path: string): void {
    const remove = (): void => {
      try {
        rmSync(path, { recursive: true, force: true });
      } catch (err) {
        this.logger.warn({ err, path }, 'could not delete');
      }
    };
    if (delayMs === 0) return remove();
    const cancel = this.deps.clock.schedule(delayMs, () => {
      this.deletions.delete(cancel);
      remove();
    });
    this.deletions.add(cancel);
  }

  /** An NMToken lets an attempt touch only its own application's containers. */
  private authorize(containerId: string, caller: NMTokenIdentifier): FailedRequest | undefined {
    const callerApp = applicationIdOfAttempt(caller.applicationAttemptId);
    const containerApp = applicationIdOfContainer(containerId);
    if (containerApp === undefined) return failure(containerId, `Invalid container id ${containerId}`);
    if (callerApp !== containerApp) {
      return failure(containerId, `Unauthorized request to access container ${containerId}: the NMToken is for ${caller.applicationAttemptId}, which does not own it`, 'org.apache.hadoop.yarn.exceptions.YarnException');
    }
    return undefined;
  }

  private pruneStarted(): void {
    const now = this.deps.clock.now();
    for (const [id, expiry] of this.started) if (expiry < now && !this.containers.has(id)) this.started.delete(id);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => this.logger.error({ err }, 'container work failed')).finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }
}

function readTail(path: string, bytes: number): string {
  try {
    const size = statSync(path).size;
    const length = Math.min(size, bytes);
    if (length === 0) return '';
    const buf = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    return buf.toString('utf8');
  } catch {
    return '';
  }
}
