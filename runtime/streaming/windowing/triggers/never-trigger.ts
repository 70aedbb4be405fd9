import type { Window } from '../window.ts';
import { Trigger } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

/** GlobalWindows' default trigger (Flink's GlobalWindows.NeverTrigger): never fires. */
export class NeverTrigger<T = unknown> extends Trigger<T, Window> {
  private constructor() {
    super();
  }

  static create<T = unknown>(): NeverTrigger<T> {
    return new NeverTrigger<T>();
  }

  onElement(): TriggerResult {
    return TriggerResult.CONTINUE;
  }


  override canMerge(): boolean {
    return true;
  }

  override onMerge(): void {}

  clear(): void {}

  toString(): string {
    return 'NeverTrigger()';
  }
}
