import { acceptedWaitMs, type SimContainerRecord, type JobRecord } from './job-record.ts';

const HOUR = 3_600_000;

/** Cost and waiting of one kind of job (mapreduce, stream, Flink per-job, Flink session). */
export interface ModeSummary {
  readonly mode: string;
  readonly jobs: number;
  readonly finished: number;
  /** Every container's allocated time, AM containers included. */
  readonly containerHours: number;
  readonly amHours: number;
  readonly memoryGbHours: number;
  /** From submission until the job ran: the AM registered (YARN jobs) or all slots were there (Flink jobs). */
  readonly meanWaitS: number;
  readonly p95WaitS: number;
  readonly meanTurnaroundS: number;
}

export interface SlsSummary {
  readonly jobs: number;
  readonly finished: number;
  readonly failed: number;
  readonly unfinished: number;
  readonly containers: number;
  readonly containerHours: number;
  readonly amHours: number;
  readonly memoryGbHours: number;
  readonly skippedTasks: number;
  readonly byMode: readonly ModeSummary[];
}

function containerMs(c: SimContainerRecord, endMs: number): number {
  return Math.max(0, (c.endMs ?? endMs) - c.allocatedMs);
}

/** The job's own wait: until its AM registered, or for a Flink job until it had all its slots. */
export function jobWaitMs(r: JobRecord): number | undefined {
  if (r.flink && r.submitMs !== undefined) return r.flink.runningMs === undefined ? undefined : r.flink.runningMs - r.submitMs;
  return r.registeredMs === undefined ? undefined : acceptedWaitMs(r);
}

/** Submission to end (unregistration, or the Flink job's end). */
export function turnaroundMs(r: JobRecord): number | undefined {
  if (r.submitMs === undefined) return undefined;
  const end = r.flink ? (r.flink.finishedMs ?? r.endMs) : (r.unregisteredMs ?? r.endMs);
  return end === undefined ? undefined : end - r.submitMs;
}

export function modeOf(r: JobRecord): string {
  if (r.amType === 'flink-session') return 'flink session';
  if (r.flink) return `flink ${r.flink.mode}`;
  return r.amType;
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * What a run cost and how long jobs waited, overall and per kind of job. A Flink session's AM and
 * TaskManagers count for the session (`flink session`), its jobs' waits for the jobs.
 */
export function summarize(records: readonly JobRecord[], endMs: number): SlsSummary {
  const modes = new Map<string, { jobs: JobRecord[]; owners: JobRecord[] }>();
  const mode = (name: string) => {
    let m = modes.get(name);
    if (!m) {
      m = { jobs: [], owners: [] };
      modes.set(name, m);
    }
    return m;
  };
  for (const r of records) {
    if (r.amType === 'flink-session') mode('flink session').owners.push(r);
    else {
      const m = mode(modeOf(r));
      m.jobs.push(r);
      if (r.flink?.mode !== 'session') m.owners.push(r);
    }
  }
  const cost = (owners: readonly JobRecord[]) => {
    let all = 0;
    let am = 0;
    let gb = 0;
    let n = 0;
    for (const r of owners) {
      for (const c of r.containers) {
        const ms = containerMs(c, endMs);
        all += ms;
        if (c.kind === 'am') am += ms;
        gb += (ms * c.resource.memory) / 1024;
        n++;
      }
    }
    return { containerHours: all / HOUR, amHours: am / HOUR, memoryGbHours: gb / HOUR, containers: n };
  };
  const byMode: ModeSummary[] = [];
  for (const [name, m] of modes) {
    const c = cost(m.owners);
    const waits = m.jobs.map(jobWaitMs).filter((w): w is number => w !== undefined).map((w) => w / 1000);
    const turnarounds = m.jobs.map(turnaroundMs).filter((t): t is number => t !== undefined).map((t) => t / 1000);
    byMode.push({
      mode: name,
      jobs: m.jobs.length,
      finished: m.jobs.filter((j) => j.finalState === 'FINISHED').length,
      containerHours: c.containerHours,
      amHours: c.amHours,
      memoryGbHours: c.memoryGbHours,
      meanWaitS: mean(waits),
      p95WaitS: percentile(waits, 95),
      meanTurnaroundS: mean(turnarounds),
    });
  }
  const jobs = records.filter((r) => r.amType !== 'flink-session');
  const total = cost(records.filter((r) => r.amType === 'flink-session' || r.flink?.mode !== 'session'));
  return {
    jobs: jobs.length,
    finished: jobs.filter((j) => j.finalState === 'FINISHED').length,
    failed: jobs.filter((j) => j.finalState === 'FAILED' || j.finalState === 'KILLED').length,
    unfinished: jobs.filter((j) => j.finalState === 'UNFINISHED' || j.finalState === undefined).length,
    containers: total.containers,
    containerHours: total.containerHours,
    amHours: total.amHours,
    memoryGbHours: total.memoryGbHours,
    skippedTasks: records.reduce((s, r) => s + r.skipped.length, 0),
    byMode,
  };
}
