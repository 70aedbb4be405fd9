import type { StateKey } from './state-key.ts';

/** One timer (Flink's TimerHeapInternalTimer): a timestamp for a key in a namespace. */
export interface InternalTimer {
  readonly timestamp: number;
  readonly key: unknown;
  readonly stateKey: StateKey;
  readonly keyGroup: number;
  readonly namespace: unknown;
  readonly namespaceKey: StateKey;
  /** Registration order, so equal timestamps fire in the order they were registered. */
  readonly seq: number;
  deleted: boolean;
}

/**
 * A set of timers ordered by timestamp (Flink's HeapPriorityQueueSet of a heap keyed backend):
 * at most one timer per key, namespace and timestamp; deletion is lazy (the timer is marked and
 * skipped when it reaches the head). Timers carry their key group, so a checkpoint can write one
 * key-group range.
 */
export class KeyGroupedTimerQueue {
  private readonly heap: InternalTimer[] = [];
  /** stateKey -> namespaceKey -> timestamp -> timer: the dedup index. */
  private readonly index = new Map<StateKey, Map<StateKey, Map<number, InternalTimer>>>();
  private seq = 0;
  private live = 0;

  /** False when an equal timer is already queued. */
  add(timer: Omit<InternalTimer, 'seq' | 'deleted'>): boolean {
    return this.addTimer(timer.timestamp, timer.key, timer.stateKey, timer.keyGroup, timer.namespace, timer.namespaceKey);
  }

  /** add() without a timer object to build first: a window registers the same timer per record. */
  addTimer(timestamp: number, key: unknown, stateKey: StateKey, keyGroup: number, namespace: unknown, namespaceKey: StateKey): boolean {
    let byNamespace = this.index.get(stateKey);
    if (!byNamespace) this.index.set(stateKey, (byNamespace = new Map<StateKey, Map<number, InternalTimer>>()));
    let byTime = byNamespace.get(namespaceKey);
    if (!byTime) byNamespace.set(namespaceKey, (byTime = new Map<number, InternalTimer>()));
    if (byTime.has(timestamp)) return false;
    const entry: InternalTimer = { timestamp, key, stateKey, keyGroup, namespace, namespaceKey, seq: this.seq++, deleted: false };
    byTime.set(timestamp, entry);
    this.push(entry);
    this.live++;
    return true;
  }

  /** False when no such timer is queued. */
  remove(stateKey: StateKey, namespaceKey: StateKey, timestamp: number): boolean {
    const byNamespace = this.index.get(stateKey);
    const byTime = byNamespace?.get(namespaceKey);
    const entry = byTime?.get(timestamp);
    if (!entry) return false;
    this.unindex(entry);
    entry.deleted = true;
    this.live--;
    return true;
  }

  /** The earliest live timer, or undefined. */
  peek(): InternalTimer | undefined {
    this.dropDeleted();
    return this.heap[0];
  }

  /** Removes and returns the earliest live timer. */
  poll(): InternalTimer | undefined {
    this.dropDeleted();
    const head = this.heap[0];
    if (!head) return undefined;
    this.pop();
    this.unindex(head);
    this.live--;
    return head;
  }

  get size(): number {
    return this.live;
  }

  /** Live timers of the key groups in [start, end], for a snapshot. */
  timersOfKeyGroups(start: number, end: number): InternalTimer[] {
    return this.heap.filter((t) => !t.deleted && t.keyGroup >= start && t.keyGroup <= end).sort(compare);
  }

  private unindex(entry: InternalTimer): void {
    const byNamespace = this.index.get(entry.stateKey);
    const byTime = byNamespace?.get(entry.namespaceKey);
    if (!byTime) return;
    byTime.delete(entry.timestamp);
    if (byTime.size === 0) byNamespace!.delete(entry.namespaceKey);
    if (byNamespace!.size === 0) this.index.delete(entry.stateKey);
  }

  private dropDeleted(): void {
    while (this.heap.length > 0 && this.heap[0]!.deleted) this.pop();
  }

  private push(entry: InternalTimer): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(heap[parent]!, entry) <= 0) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && compare(heap[r]!, heap[l]!) < 0 ? r : l;
      if (compare(last, heap[c]!) <= 0) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
}

function compare(a: InternalTimer, b: InternalTimer): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}
