import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Container } from '../protocol/records.ts';
import type { ApplicationSubmissionContext } from '../app/submission-context.ts';

/**
 * What the RM persists (ResourceManagerRestart.md): each application's submission context and
 * final state, each attempt once its AM container is allocated and again when it ends, and the
 * master keys, so tokens handed out before a restart stay valid after it. Records are written at
 * the end of the tick that made them (see SqliteRmStateStore); master keys at once.
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

/** A write waiting for the end of the tick, in the order the RM made it. */
type PendingWrite = { readonly kind: 'app'; readonly id: string; readonly data: string } | { readonly kind: 'attempt'; readonly id: string; readonly appId: string; readonly data: string } | { readonly kind: 'remove'; readonly id: string };

/**
 * The RM's state in SQLite. Writes are batched: everything the RM stores during one tick of the
 * event loop is committed in one transaction (one fsync) at the end of it, the way YARN's
 * RMStateStore writes asynchronously from its own dispatcher instead of inside the caller's
 * event. With `synchronous = FULL` a write per submission costs an fsync each and made the
 * store the largest single cost of a submission burst; a crash now loses at most the last tick's
 * writes, as YARN loses what its store dispatcher had not yet written. Reads flush first.
 */
export class SqliteRmStateStore implements RmStateStore {
  readonly name = 'org.apache.hadoop.yarn.server.resourcemanager.recovery.SqliteRMStateStore';
  private readonly db: Database.Database;
  private readonly stmts;
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  private readonly writeBatch: (writes: readonly PendingWrite[]) => void;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(join(path, '..'), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed batch survives a power cut, not just a process crash.
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
    this.writeBatch = this.db.transaction((writes: readonly PendingWrite[]) => {
      for (const w of writes) {
        if (w.kind === 'app') this.stmts.putApp.run(w.id, w.data);
        else if (w.kind === 'attempt') this.stmts.putAttempt.run(w.id, w.appId, w.data);
        else {
          this.stmts.delAttempts.run(w.id);
          this.stmts.delApp.run(w.id);
        }
      }
    });
  }

  static open(dir: string): SqliteRmStateStore {
    return new SqliteRmStateStore(join(dir, 'rm-state.sqlite'));
  }

  loadState(): RmState {
    this.flush();
    return {
      apps: this.stmts.apps.all().map((r) => JSON.parse(r.data) as StoredApp),
      attempts: this.stmts.attempts.all().map((r) => JSON.parse(r.data) as StoredAttempt),
    };
  }

  storeApp(app: StoredApp): void {
    this.enqueue({ kind: 'app', id: app.appId, data: JSON.stringify(app) });
  }

  storeAttempt(attempt: StoredAttempt): void {
    this.enqueue({ kind: 'attempt', id: attempt.attemptId, appId: attempt.appId, data: JSON.stringify(attempt) });
  }

  removeApp(appId: string): void {
    this.enqueue({ kind: 'remove', id: appId });
  }

  getMeta(key: string): string | undefined {
    this.flush();
    return this.stmts.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.flush();
    this.stmts.setMeta.run(key, value);
  }

  /** Commits the writes of this tick now (also done at the end of every tick and on close). */
  flush(): void {
    if (this.pending.length === 0 || !this.db.open) return;
    const writes = this.pending;
    this.pending = [];
    this.writeBatch(writes);
  }

  close(): void {
    this.flush();
    if (this.db.open) this.db.close();
  }

  private enqueue(write: PendingWrite): void {
    this.pending.push(write);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }
}
