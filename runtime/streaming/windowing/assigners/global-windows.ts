import { GlobalWindow } from '../global-window.ts';
import { NeverTrigger } from '../triggers/never-trigger.ts';
import type { Trigger } from '../triggers/trigger.ts';
import { WindowAssigner } from './window-assigner.ts';

/**
 * Every element into the one GlobalWindow (Flink's GlobalWindows). Its default trigger never fires:
 * give it one, e.g. CountTrigger.of(n) (what countWindow() does).
 */
export class GlobalWindows<T = unknown> extends WindowAssigner<T, GlobalWindow> {
  private static readonly WINDOWS = [GlobalWindow.INSTANCE];

  private constructor() {
    super();
  }

  static create<T = unknown>(): GlobalWindows<T> {
    return new GlobalWindows<T>();
  }

  assignWindows(): GlobalWindow[] {
    return GlobalWindows.WINDOWS;
  }

  getDefaultTrigger(): Trigger<T, GlobalWindow> {
    return NeverTrigger.create<T>();
  }

  isEventTime(): boolean {
    return false;
  }

  toString(): string {
    return 'GlobalWindows()';
  }
}
