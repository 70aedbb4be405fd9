import type { RmState, RmStateStore, StoredApp, StoredAttempt } from './rm-state-store.ts';

/**
 * YARN's NullRMStateStore: an RM that keeps nothing across restarts (recovery off), as the
 * scheduler load simulator runs it. Only the master keys live for the process's lifetime, in memory.
 */
export class NullRmStateStore implements RmStateStore {
  readonly name = 'org.apache.hadoop.yarn.server.resourcemanager.recovery.NullRMStateStore';
  private readonly meta = new Map<string, string>();

  loadState(): RmState {
    return { apps: [], attempts: [] };
  }

  storeApp(_app: StoredApp): void {}

  storeAttempt(_attempt: StoredAttempt): void {}

  removeApp(_appId: string): void {}

  getMeta(key: string): string | undefined {
    return this.meta.get(key);
  }

  setMeta(key: string, value: string): void {
    this.meta.set(key, value);
  }

  close(): void {}
}
