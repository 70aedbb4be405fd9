import type { RmApp } from '../app/rm-app.ts';
import { applicationIdOfAttempt, applicationIdOfContainer } from '../protocol/ids.ts';
import type { RmContext } from '../rm-context.ts';
import { appInfo } from './app-info.ts';

/** Stands in for elapsedTime in a cached rendering; the request writes the current value there. */
const ELAPSED = -7654321.125;
const ELAPSED_FIELD = `"elapsedTime":${ELAPSED}`;

interface Rendered {
  readonly version: number;
  readonly cluster: number;
  readonly diagnostics: string;
  readonly waiting: string;
  readonly progress: number;
  readonly logAggregation: string;
  readonly head: string;
  readonly tail: string;
}

/**
 * Each application's AppInfo JSON for `GET /ws/v1/cluster/apps`, rendered once and reused until
 * the application changes (YARN users poll this list; with 10,000 waiting applications,
 * rebuilding and serialising every one per request costs more than the request is worth).
 * An entry is dropped when the app, its attempts or containers change (the RM's change stream),
 * when a node changes (cluster capacity is in queueUsagePercentage), or when what changes
 * without an event differs (its waiting reason, progress, log aggregation status); elapsedTime,
 * which moves with the clock, is written in per request. Apps holding live containers are not
 * cached: their memorySeconds grow with the clock.
 */
export class AppJsonCache {
  private readonly ctx: RmContext;
  private readonly rendered = new Map<string, Rendered>();
  private readonly versions = new Map<string, number>();
  private cluster = 0;

  constructor(ctx: RmContext) {
    this.ctx = ctx;
    ctx.changes.subscribe((c) => {
      if (c.kind === 'node') {
        this.cluster++;
        return;
      }
      const appId = c.kind === 'app' ? c.id : c.kind === 'attempt' ? applicationIdOfAttempt(c.id) : applicationIdOfContainer(c.id);
      if (!appId) return;
      this.versions.set(appId, (this.versions.get(appId) ?? 0) + 1);
      if (!ctx.apps.has(appId)) {
        this.versions.delete(appId);
        this.rendered.delete(appId);
      }
    });
  }

  /** Forgets apps the RM no longer lists (retired after max-completed-applications). */
  prune(): void {
    if (this.rendered.size <= this.ctx.apps.size + 1000) return;
    for (const id of this.rendered.keys()) {
      if (!this.ctx.apps.has(id)) {
        this.rendered.delete(id);
        this.versions.delete(id);
      }
    }
  }

  /** The app's AppInfo as JSON text, as `JSON.stringify(appInfo(ctx, app))` would give it. */
  json(app: RmApp): string {
    const attempt = app.currentAttempt;
    if (attempt && attempt.liveContainers > 0) {
      this.rendered.delete(app.appId);
      return JSON.stringify(appInfo(this.ctx, app));
    }
    const version = this.versions.get(app.appId) ?? 0;
    const diagnostics = app.diagnostics;
    const waiting = app.waitingDiagnostics;
    const progress = attempt?.progress ?? 0;
    const logAggregation = app.logAggregationStatus();
    let r = this.rendered.get(app.appId);
    if (!r || r.version !== version || r.cluster !== this.cluster || r.diagnostics !== diagnostics || r.waiting !== waiting || r.progress !== progress || r.logAggregation !== logAggregation) {
      const text = JSON.stringify({ ...appInfo(this.ctx, app), elapsedTime: ELAPSED });
      const at = text.indexOf(ELAPSED_FIELD);
      if (at < 0) return JSON.stringify(appInfo(this.ctx, app));
      r = { version, cluster: this.cluster, diagnostics, waiting, progress, logAggregation, head: text.slice(0, at), tail: text.slice(at + ELAPSED_FIELD.length) };
      this.rendered.set(app.appId, r);
    }
    const elapsed = (app.finishTime || this.ctx.clock.now()) - app.startTime;
    return `${r.head}"elapsedTime":${elapsed}${r.tail}`;
  }
}
