import type { RmChange } from '../rm/rm-changes.ts';

/**
 * Changes waiting to be pushed, coalesced by entity: many transitions of one app inside a flush
 * interval become one entry carrying the latest state. Insertion order is kept, so pages see
 * entities in the order they first changed.
 */
export class ChangeBatch {
  private readonly byKey = new Map<string, RmChange>();

  get size(): number {
    return this.byKey.size;
  }

  add(change: RmChange): void {
    const key = `${change.kind}\u0000${change.id}`;
    // Map.set on an existing key keeps its position and takes the newest state.
    this.byKey.set(key, { kind: change.kind, id: change.id, state: change.state });
  }

  addAll(changes: readonly RmChange[]): void {
    for (const c of changes) this.add(c);
  }

  clear(): void {
    this.byKey.clear();
  }

  /** Returns the coalesced changes and empties the batch. */
  drain(): RmChange[] {
    const out = [...this.byKey.values()];
    this.byKey.clear();
    return out;
  }
}
