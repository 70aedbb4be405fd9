import type { StateKey } from '../../state/state-key.ts';

/**
 * A grouping of elements (Flink's Window): what a window assigner assigns elements to and the
 * namespace under which the window's contents, trigger state and timers live in keyed state.
 */
export interface Window {
  /** The largest timestamp that still belongs to this window. */
  maxTimestamp(): number;
  /** This window as a state namespace: equal windows give equal keys, cheaply (per record). */
  readonly namespaceKey: StateKey;
  toString(): string;
}
