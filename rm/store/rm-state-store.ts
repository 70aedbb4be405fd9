import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Container } from '../protocol/records.ts';
import type { ApplicationSubmissionContext } from '../app/submission-context.ts';

/**
 * What the RM persists (ResourceManagerRestart.md): each application's submission context and
 * final state, each attempt once its AM container is allocated and again when it ends, and the
 * master keys, so tokens handed out before a restart stay valid after it. better-sqlite3 is
 * synchronous, so a record is on disk before the call that caused it is answered.
 */
export interface StoredApp {
  readonly appId: string;
  readonly user: string;
  readonly submitTime: number;
  readonly context: ApplicationSubmissionContext;
  /** Set once the app reached a final state. */
  readonly finalState?: 'FINISHED' | 'FAILED' | 'KILLED';
  readonly finalStatus?: string;
  readonly diagnostics?: string;
  readonly startTime?: number;
  readonly launchTime?: number;
  readonly finishTime?: number;
  readonly originalTrackingUrl?: string;
}

export interface StoredAttempt {
  readonly attemptId: string;
  readonly appId: string;
  readonly startTime: number;
  readonly masterContainer?: Container;
  readonly finalState?: 'FINISHED' | 'FAILED' | 'KILLED';
  readonly finalStatus?: string;
  readonly diagnostics?: string;
  readonly finishTime?: number;
  readonly trackingUrl?: string;
  /** What the AM named when it unregistered (the web proxy's target once the app finished). */
  readonly finalTrackingUrl?: string;
  readonly amExitStatus?: number;
}

export interface RmState {
  readonly apps: readonly StoredApp[];
  readonly attempts: readonly StoredAttempt[];
}

export interface RmStateStore {
  readonly name: string;
  loadState(): RmState;
  storeApp(app: StoredApp): void;
  storeAttempt(attempt: StoredAttempt): void;
  removeApp(appId: string): void;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  close(): void;
}

export class SqliteRmStateStore implements RmStateStore {
  readonly name = 'org.apache.hadoop.yarn.server.resourcemanager.recovery.SqliteRMStateStore';
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(join(path, '..'), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: an acknowledged submission must survive a power cut, not just a process crash.
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS apps (app_id TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS attempts (attempt_id TEXT PRIMARY KEY, app_id TEXT NOT NULL, data TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS attempts_by_app ON attempts (app_id);
    `);
    this.stmts = {
      apps: this.db.prepare<[], { data: string }>('SELECT data FROM apps ORDER BY app_id'),
      attempts: this.db.prepare<[], { data: string }>('SELECT data FROM attempts ORDER BY attempt_id'),
      putApp: this.db.prepare<[string, string]>('INSERT INTO apps (app_id, data) VALUES (?, ?) ON CONFLICT(app_id) DO UPDATE SET data = excluded.data'),
      putAttempt: this.db.prepare<[string, string, string]>(
        'INSERT INTO attempts (attempt_id, app_id, data) VALUES (?, ?, ?) ON CONFLICT(attempt_id) DO UPDATE SET data = excluded.data',
      ),
      delApp: this.db.prepare<[string]>('DELETE FROM apps WHERE app_id = ?'),
      delAttempts: this.db.prepare<[string]>('DELETE FROM attempts WHERE app_id = ?'),
      getMeta: this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: this.db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  static open(dir: string): SqliteRmStateStore {
    return new SqliteRmStateStore(join(dir, 'rm-state.sqlite'));
  }

  loadState(): RmState {
    return {
      apps: this.stmts.apps.all().map((r) => JSON.parse(r.data) as StoredApp),
      attempts: this.stmts.attempts.all().map((r) => JSON.parse(r.data) as StoredAttempt),
    };
  }

  storeApp(app: StoredApp): void {
    this.stmts.putApp.run(app.appId, JSON.stringify(app));
  }

  storeAttempt(attempt: StoredAttempt): void {
    this.stmts.putAttempt.run(attempt.attemptId, attempt.appId, JSON.stringify(attempt));
  }

  removeApp(appId: string): void {
    this.db.transaction(() => {
      this.stmts.delAttempts.run(appId);
      this.stmts.delApp.run(appId);
    })();
  }

  getMeta(key: string): string | undefined {
    return this.stmts.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmts.setMeta.run(key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
