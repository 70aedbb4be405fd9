import { MAX_WATERMARK } from '../stream-element.ts';
import type { Window } from './window.ts';

/** The one window that holds every element (Flink's GlobalWindow); it ends only with event time. */
export class GlobalWindow implements Window {
  static readonly INSTANCE = new GlobalWindow();
  readonly namespaceKey = 'global';

  private constructor() {}

  static get(): GlobalWindow {
    return GlobalWindow.INSTANCE;
  }

  maxTimestamp(): number {
    return MAX_WATERMARK;
  }

  toString(): string {
    return 'GlobalWindow';
  }
}
