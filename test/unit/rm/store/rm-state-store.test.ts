import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteRmStateStore, type StoredApp } from '../../../../rm/store/rm-state-store.ts';

const app = (appId: string, diagnostics = ''): StoredApp => ({ appId, user: 'u', submitTime: 1, diagnostics, context: {} as StoredApp['context'] });

describe('SqliteRmStateStore batches the writes of one tick', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const open = (): { dir: string; store: SqliteRmStateStore } => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-store-'));
    dirs.push(dir);
    return { dir, store: SqliteRmStateStore.open(dir) };
  };

  it('commits at the end of the tick what a second process then recovers, in the order written', async () => {
    const { dir, store } = open();
    store.storeApp(app('application_1_0001'));
    store.storeApp(app('application_1_0002'));
    store.removeApp('application_1_0001');
    store.storeApp(app('application_1_0002', 'renamed'));
    await new Promise((r) => setImmediate(r));
    const other = SqliteRmStateStore.open(dir);
    try {
      expect(other.loadState().apps.map((a) => [a.appId, a.diagnostics])).toEqual([['application_1_0002', 'renamed']]);
    } finally {
      other.close();
      store.close();
    }
  });

  it('flushes on close, so a clean stop loses nothing written just before it', () => {
    const { dir, store } = open();
    store.storeApp(app('application_1_0003'));
    store.close();
    const other = SqliteRmStateStore.open(dir);
    expect(other.loadState().apps.map((a) => a.appId)).toEqual(['application_1_0003']);
    other.close();
  });
});
