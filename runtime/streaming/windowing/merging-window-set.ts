import type { ValueState } from '../keyed-value-state.ts';
import type { StateKey } from '../../state/state-key.ts';
import type { MergingWindowAssigner } from './assigners/window-assigner.ts';
import type { Window } from './window.ts';

/**
 * Called when windows merge (Flink's MergingWindowSet.MergeFunction): `mergeResult` replaces
 * `mergedWindows`; the contents kept under `mergedStateWindows` go into `stateWindowResult`.
 */
export type MergeFunction<W> = (mergeResult: W, mergedWindows: W[], stateWindowResult: W, mergedStateWindows: W[]) => void;

/** A window and the window whose namespace holds its state, as persisted per key. */
export type WindowMapping<W> = [window: W, stateWindow: W];

/**
 * The merging windows of one key (Flink's MergingWindowSet): each live window maps to the
 * "state window" whose namespace holds its contents, so merging two sessions moves no more than
 * one of them and timers stay valid. Read from the key's state per element, persisted back after.
 */
export class MergingWindowSet<W extends Window> {
  private readonly assigner: MergingWindowAssigner<unknown, W>;
  private readonly state: ValueState<WindowMapping<W>[]>;
  /** namespaceKey -> [window, state window] */
  private readonly mapping = new Map<StateKey, WindowMapping<W>>();
  private changed = false;

  constructor(assigner: MergingWindowAssigner<unknown, W>, state: ValueState<WindowMapping<W>[]>) {
    this.assigner = assigner;
    this.state = state;
    for (const entry of state.value() ?? []) this.mapping.set(entry[0].namespaceKey, entry);
  }

  /** The window whose namespace holds `window`'s state, or undefined if `window` is not live. */
  getStateWindow(window: W): W | undefined {
    return this.mapping.get(window.namespaceKey)?.[1];
  }

  /** `window` is gone (fired and cleaned up, or late). */
  retireWindow(window: W): void {
    if (!this.mapping.delete(window.namespaceKey)) throw new Error(`Window ${window.toString()} is not in in-flight window set.`);
    this.changed = true;
  }

  /**
   * Adds `newWindow`, merging it with the live windows it touches; returns the window it ended up
   * in (itself, or a merge result).
   */
  addWindow(newWindow: W, mergeFunction: MergeFunction<W>): W {
    const windows = [...this.mapping.values()].map((e) => e[0]);
    windows.push(newWindow);
    const mergeResults: [W, W[]][] = [];
    this.assigner.mergeWindows(windows, (toMerge, mergeResult) => mergeResults.push([mergeResult, toMerge]));

    let resultWindow = newWindow;
    let mergedNewWindow = false;
    for (const [mergeResult, mergedWindows] of mergeResults) {
      const at = mergedWindows.findIndex((w) => w.namespaceKey === newWindow.namespaceKey);
      if (at >= 0) {
        mergedWindows.splice(at, 1);
        mergedNewWindow = true;
        resultWindow = mergeResult;
      }
      // Keep the state of one of the merged windows where it is; fold the others into it.
      const mergedStateWindow = this.mapping.get(mergedWindows[0]!.namespaceKey)![1];
      const mergedStateWindows: W[] = [];
      for (const merged of mergedWindows) {
        const entry = this.mapping.get(merged.namespaceKey);
        if (entry !== undefined) {
          this.mapping.delete(merged.namespaceKey);
          if (entry[1].namespaceKey !== mergedStateWindow.namespaceKey) mergedStateWindows.push(entry[1]);
        }
      }
      this.mapping.set(mergeResult.namespaceKey, [mergeResult, mergedStateWindow]);
      this.changed = true;
      // A merge that only re-finds an existing window changes nothing.
      if (!(mergedWindows.length === 1 && mergedWindows[0]!.namespaceKey === mergeResult.namespaceKey)) {
        mergeFunction(mergeResult, mergedWindows, mergedStateWindow, mergedStateWindows);
      }
    }
    if (mergeResults.length === 0 || (resultWindow.namespaceKey === newWindow.namespaceKey && !mergedNewWindow)) {
      this.mapping.set(resultWindow.namespaceKey, [resultWindow, resultWindow]);
      this.changed = true;
    }
    return resultWindow;
  }

  /** Writes the mapping back to the key's state if it changed. */
  persist(): void {
    if (!this.changed) return;
    if (this.mapping.size === 0) this.state.clear();
    else this.state.update([...this.mapping.values()]);
    this.changed = false;
  }

  /** Live windows, for tests. */
  get windows(): W[] {
    return [...this.mapping.values()].map((e) => e[0]);
  }
}
