import type { InputStatus } from '../../network/input-gate.ts';

/**
 * What a task's loop calls once per turn to move input into its chain (Flink's
 * StreamInputProcessor): a one-input task has a {@link StreamOneInputProcessor}; a two-input task
 * will have one that selects between its two inputs.
 */
export interface StreamInputProcessor {
  processInput(): InputStatus;
  /** Resolves when processInput() may find something again. */
  availability(): Promise<void>;
}
