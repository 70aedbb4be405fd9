import { copyFile, mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../rm/common/logger.ts';
import { isPlainFileName } from '../../rm/common/log-files.ts';
import { AggregatedLogs, nodeFileName } from '../../rm/protocol/aggregated-logs.ts';
import { applicationIdOfContainer, parseContainerId } from '../../rm/protocol/ids.ts';
import type { LogAggregationReport } from '../../rm/protocol/resource-tracker.ts';
import type { NmConfig } from '../config.ts';

export interface LogAggregationServiceDeps {
  readonly config: NmConfig;
  /** `<nm dir>/logs`, holding `<appId>/<containerId>/` of every container. */
  readonly logsRoot: string;
  /** The node id, known once the NM's HTTP port is bound. */
  readonly nodeId: () => string;
  readonly logger: Logger;
}

/**
 * YARN's LogAggregationService on one NM: once an application has finished here (the RM listed it
 * in applicationsToCleanup and its containers are done), or when the NM stops, the logs of its
 * containers are copied to the remote app log dir (layout in rm/protocol/aggregated-logs.ts),
 * written under `<nodeId>.tmp` and renamed whole. The outcome is reported to the RM in the next
 * heartbeats until one is answered. Each app is aggregated once per NM process.
 */
export class LogAggregationService {
  readonly enabled: boolean;
  readonly logs: AggregatedLogs;
  private readonly deps: LogAggregationServiceDeps;
  private readonly logger: Logger;
  private readonly runs = new Map<string, Promise<LogAggregationReport>>();
  private readonly pending = new Map<string, LogAggregationReport>();

  constructor(deps: LogAggregationServiceDeps) {
    this.deps = deps;
    const conf = deps.config.conf;
    this.enabled = conf['yarn.log-aggregation-enable'];
    this.logs = new AggregatedLogs({ remoteRoot: conf['yarn.nodemanager.remote-app-log-dir'], suffix: conf['yarn.nodemanager.remote-app-log-dir-suffix'] });
    this.logger = deps.logger.child({ component: 'nm.log-aggregation' });
  }

  hasRun(appId: string): boolean {
    return this.runs.has(appId);
  }

  /** Uploads the app's container logs (once); resolves with the report the RM will get. */
  aggregate(appId: string, user: string): Promise<LogAggregationReport> {
    let run = this.runs.get(appId);
    if (!run) {
      run = this.upload(appId, user).then(
        (count): LogAggregationReport => {
          this.logger.info({ appId, containers: count, dir: this.logs.appDir(user, appId) }, 'application logs aggregated');
          return { applicationId: appId, logAggregationStatus: 'SUCCEEDED', diagnosticMessage: '' };
        },
        (err: unknown): LogAggregationReport => {
          const message = err instanceof Error ? err.message : String(err);
          this.logger.warn({ appId, err: message }, 'log aggregation failed; the logs stay on the local disk');
          return { applicationId: appId, logAggregationStatus: 'FAILED', diagnosticMessage: `Log aggregation failed on ${this.deps.nodeId()}: ${message}` };
        },
      );
      run = run.then((report) => {
        this.pending.set(appId, report);
        return report;
      });
      this.runs.set(appId, run);
    }
    return run;
  }

  /** Reports not yet answered by the RM, for the next heartbeat. */
  pendingReports(): LogAggregationReport[] {
    return [...this.pending.values()];
  }

  /** The RM answered a heartbeat that carried these. */
  delivered(reports: readonly LogAggregationReport[]): void {
    for (const r of reports) if (this.pending.get(r.applicationId) === r) this.pending.delete(r.applicationId);
  }

  /** Waits for uploads under way (NM stop). */
  async drain(): Promise<void> {
    await Promise.all(this.runs.values());
  }

  private async upload(appId: string, user: string): Promise<number> {
    if (!isPlainFileName(user)) throw new Error(`invalid user name ${JSON.stringify(user)}`);
    const localApp = join(await realpath(this.deps.logsRoot), appId);
    let containers: string[];
    try {
      containers = (await readdir(localApp)).filter((c) => parseContainerId(c) && applicationIdOfContainer(c) === appId).sort();
    } catch {
      return 0;
    }
    if (containers.length === 0) return 0;
    const appDir = this.logs.appDir(user, appId);
    const node = nodeFileName(this.deps.nodeId());
    const tmp = join(appDir, `${node}.tmp`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true, mode: 0o770 });
    for (const containerId of containers) {
      const from = join(localApp, containerId);
      if ((await realpath(from)) !== from) continue;
      const to = join(tmp, containerId);
      await mkdir(to, { mode: 0o770 });
      for (const name of (await readdir(from)).sort()) {
        const file = join(from, name);
        if (!isPlainFileName(name) || (await realpath(file)) !== file || !(await stat(file)).isFile()) continue;
        await copyFile(file, join(to, name));
      }
    }
    const final = join(appDir, node);
    if (await exists(final)) {
      // Aggregated before by an earlier NM process on this node: add to what is there.
      for (const containerId of await readdir(tmp)) {
        await rm(join(final, containerId), { recursive: true, force: true });
        await rename(join(tmp, containerId), join(final, containerId));
      }
      await rm(tmp, { recursive: true, force: true });
    } else {
      await rename(tmp, final);
    }
    return containers.length;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
