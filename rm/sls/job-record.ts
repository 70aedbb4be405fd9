import type { Resource } from '../protocol/records.ts';
import type { AmType } from './sls-job.ts';

/** One container of a job as the simulation saw it, in simulated milliseconds since the start. */
export interface SimContainerRecord {
  readonly id: string;
  readonly nodeId: string;
  /** `am` (the ApplicationMaster / JobManager), `task` (a map, reduce or stream), `taskmanager` (Flink). */
  readonly kind: 'am' | 'task' | 'taskmanager';
  /** `map`, `reduce`, the stream's type, `taskmanager`, `am`. */
  readonly type: string;
  readonly resource: Resource;
  /** When the AM received it (the AM container: when the RM's launcher started it). */
  readonly allocatedMs: number;
  readonly startMs: number;
  endMs: number | undefined;
  exitStatus?: number;
}

/** A Flink job's own timeline, apart from its YARN application's (a session runs many jobs in one). */
export interface FlinkJobRecord {
  readonly mode: 'per-job' | 'session';
  readonly session: string;
  readonly slots: number;
  /** All its slots were there and it started running. */
  runningMs?: number;
  finishedMs?: number;
}

/**
 * Everything the outputs say about one trace job: its YARN application, its times in simulated
 * milliseconds since the simulation start, why it waited, and its containers.
 */
export interface JobRecord {
  readonly jobId: string;
  readonly amType: AmType | 'flink-session';
  readonly queue: string;
  readonly user: string;
  readonly traceStartMs: number;
  readonly traceEndMs: number;
  appId?: string;
  submitMs?: number;
  amAllocatedMs?: number;
  /** The AM registered: the application is RUNNING. */
  registeredMs?: number;
  unregisteredMs?: number;
  endMs?: number;
  finalState?: string;
  /** What the scheduler said the last time it held the application in ACCEPTED. */
  waitReason: string;
  diagnostics: string;
  /** Task containers dropped before asking (e.g. larger than the maximum allocation), with why. */
  readonly skipped: string[];
  readonly containers: SimContainerRecord[];
  flink?: FlinkJobRecord;
}

export function newJobRecord(init: Pick<JobRecord, 'jobId' | 'amType' | 'queue' | 'user' | 'traceStartMs' | 'traceEndMs'>): JobRecord {
  return { ...init, waitReason: '', diagnostics: '', skipped: [], containers: [] };
}

/** Time from submission until the AM registered (the wait in ACCEPTED), or undefined if it never ran. */
export function acceptedWaitMs(r: JobRecord): number | undefined {
  if (r.submitMs === undefined) return undefined;
  if (r.registeredMs !== undefined) return r.registeredMs - r.submitMs;
  return r.endMs !== undefined ? r.endMs - r.submitMs : undefined;
}
