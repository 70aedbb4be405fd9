import type { Window } from './window.ts';

/**
 * A window of time `[start, end)` (Flink's TimeWindow). `maxTimestamp()` is `end - 1`: event-time
 * windows fire when the watermark reaches it, and their results carry it as timestamp.
 */
export class TimeWindow implements Window {
  readonly start: number;
  readonly end: number;
  readonly namespaceKey: string;

  constructor(start: number, end: number) {
    this.start = start;
    this.end = end;
    this.namespaceKey = `${start}:${end}`;
  }

  getStart(): number {
    return this.start;
  }

  getEnd(): number {
    return this.end;
  }

  maxTimestamp(): number {
    return this.end - 1;
  }

  /** Whether the two windows overlap or touch (touching session windows merge, as in Flink). */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window that contains both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  equals(other: unknown): boolean {
    return other instanceof TimeWindow && other.start === this.start && other.end === this.end;
  }

  toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }

  /**
   * The start of the window of `size` (shifted by `offset`) that contains `timestamp`
   * (TimeWindow.getWindowStartWithOffset): the remainder is taken so that negative timestamps
   * still land in the window below them.
   */
  static getWindowStartWithOffset(timestamp: number, offset: number, size: number): number {
    const remainder = (timestamp - offset) % size;
    return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
  }

  /**
   * Merges overlapping windows (TimeWindow.mergeWindows): sorted by start, each run of
   * intersecting windows becomes its cover; `callback(toMerge, mergeResult)` is called for every
   * cover built from more than one window.
   */
  static mergeWindows(windows: readonly TimeWindow[], callback: (toMerge: TimeWindow[], mergeResult: TimeWindow) => void): void {
    const sorted = [...windows].sort((a, b) => a.start - b.start);
    const merged: { cover: TimeWindow; members: TimeWindow[] }[] = [];
    let current: { cover: TimeWindow; members: TimeWindow[] } | undefined;
    for (const w of sorted) {
      if (current === undefined) {
        current = { cover: w, members: [w] };
      } else if (current.cover.intersects(w)) {
        current.cover = current.cover.cover(w);
        current.members.push(w);
      } else {
        merged.push(current);
        current = { cover: w, members: [w] };
      }
    }
    if (current !== undefined) merged.push(current);
    for (const m of merged) if (m.members.length > 1) callback(m.members, m.cover);
  }
}
