import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { acceptedWaitMs, type JobRecord } from './job-record.ts';
import type { TrackRecord } from './track-record.ts';

/** SLS's jobruntime.csv columns, then weft's. Times are milliseconds; `simulate_*` since the simulation start. */
export const JOB_RUNTIME_COLUMNS = [
  'JobID',
  'real_start_time',
  'real_end_time',
  'simulate_start_time',
  'simulate_end_time',
  'trace_job_id',
  'am_type',
  'queue',
  'user',
  'final_state',
  'simulate_am_start_time',
  'simulate_running_time',
  'accepted_wait_ms',
  'wait_reason',
  'containers',
  'skipped_tasks',
  'diagnostics',
] as const;

function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per trace job, in trace order. Like SLS, `JobID` is the YARN application id,
 * `real_*` the trace's times and `simulate_start_time`/`simulate_end_time` submission and
 * unregistration in the simulation. A Flink session job's row names its session's application and
 * runs from its submission to its end; the session itself has a row of its own (`session:<name>`).
 */
export function jobRuntimeCsv(records: readonly JobRecord[]): string {
  const lines = [JOB_RUNTIME_COLUMNS.join(',')];
  for (const r of records) {
    const end = r.flink?.mode === 'session' ? r.flink.finishedMs : (r.unregisteredMs ?? r.endMs);
    const running = r.flink ? r.flink.runningMs : r.registeredMs;
    const row = [
      r.appId ?? '',
      r.traceStartMs,
      r.traceEndMs,
      r.submitMs,
      end,
      r.jobId,
      r.flink ? `flink-${r.flink.mode}` : r.amType,
      r.queue,
      r.user,
      r.finalState ?? 'UNFINISHED',
      r.amAllocatedMs,
      running,
      acceptedWaitMs(r),
      r.waitReason,
      r.containers.length,
      r.skipped.length,
      [r.diagnostics, ...r.skipped].filter(Boolean).join('; '),
    ];
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** realtimetrack.json written as the run goes, as SLS's MetricsLogRunnable does: `[`, one record per line, `]`. */
export class RealtimeTrackWriter {
  private fd: number | undefined;
  private first = true;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
    writeSync(this.fd, '[');
  }

  write(record: TrackRecord): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${this.first ? '' : ','}${JSON.stringify(record)}\n`);
    this.first = false;
  }

  close(): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, ']');
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export const OUTPUT_FILES = { track: 'realtimetrack.json', jobs: 'jobruntime.csv', report: 'report.html' } as const;

export function prepareOutputDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

export function writeJobRuntime(dir: string, records: readonly JobRecord[]): void {
  writeFileSync(join(dir, OUTPUT_FILES.jobs), jobRuntimeCsv(records));
}
