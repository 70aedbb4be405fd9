import type { KeySelector } from './functions.ts';
import type { StreamOperator } from './stream-operator.ts';

/** Makes a fresh operator instance for one subtask. */
export type OperatorFactory = () => StreamOperator<unknown, unknown>;

/** Flink's default `pipeline.auto-watermark-interval`. */
export const DEFAULT_AUTO_WATERMARK_INTERVAL_MS = 200;

/** The ExecutionConfig settings tasks apply (object reuse, periodic watermark interval). */
export interface ExecutionSettings {
  readonly objectReuse: boolean;
  /** `pipeline.auto-watermark-interval` in ms; 0 = no periodic watermarks. */
  readonly autoWatermarkInterval: number;
}

export const DEFAULT_EXECUTION_SETTINGS: ExecutionSettings = Object.freeze({
  objectReuse: false,
  autoWatermarkInterval: DEFAULT_AUTO_WATERMARK_INTERVAL_MS,
});

/**
 * The user functions of a job, found by the ids the JobGraph refers to. Every process gets them by
 * loading the job file itself; they never travel.
 */
export interface UserCode {
  readonly operators: ReadonlyMap<string, OperatorFactory>;
  /** Key selectors of HASH edges, by JobEdge.keySelector. */
  readonly keySelectors: ReadonlyMap<string, KeySelector<unknown, unknown>>;
  /** What env.getConfig() was set to; Flink's defaults when absent. */
  readonly settings?: ExecutionSettings;
}
