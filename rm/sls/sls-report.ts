import { readFileSync } from 'node:fs';
import type { SimContainerRecord, JobRecord } from './job-record.ts';
import type { SlsResult } from './sls-runner.ts';
import { jobWaitMs, modeOf, summarize, type SlsSummary } from './sls-summary.ts';
import type { TrackRecord } from './track-record.ts';

/** The renderer report.html inlines; the web UI's simulator page imports the same module. */
const RENDERER = new URL('../../webui/public/js/sls/report-view.js', import.meta.url);

/** Jobs drawn in the Gantt without --track-jobs, and containers per job drawn at most. */
const GANTT_JOBS = 40;
const GANTT_CONTAINERS = 200;
/** Rows of the jobs table (the CSV has them all). */
const TABLE_JOBS = 2000;
/** Samples beyond this are thinned evenly for the charts (realtimetrack.json keeps them all). */
const CHART_SAMPLES = 4000;

export interface ReportJob {
  readonly jobId: string;
  readonly appId?: string;
  readonly kind: string;
  readonly queue: string;
  readonly state?: string;
  readonly submitMs?: number;
  readonly runningMs?: number;
  readonly endMs?: number;
  readonly waitMs?: number;
  readonly reason: string;
}

export interface ReportGantt {
  readonly jobId: string;
  readonly appId?: string;
  readonly queue: string;
  readonly state?: string;
  readonly submitMs?: number;
  readonly containers: readonly SimContainerRecord[];
  readonly omitted: number;
}

/** Everything report.html shows, as JSON (embedded in the page, readable by the web UI). */
export interface SlsReportData {
  readonly format: 'weft-sls-report/1';
  readonly run: {
    readonly tracetype: string;
    readonly tracelocation: readonly string[];
    readonly scheduler: string;
    readonly simulatedS: number;
    readonly wallS: number;
    readonly speedup: number;
    readonly events: number;
    readonly nodes: number;
    readonly stuck: boolean;
  };
  readonly info: readonly [string, string | number][];
  readonly summary: SlsSummary;
  readonly queues: readonly string[];
  readonly samples: readonly TrackRecord[];
  readonly jobs: readonly ReportJob[];
  readonly tracked: boolean;
  readonly gantt: readonly ReportGantt[];
}

function reportJob(r: JobRecord): ReportJob {
  const endMs = r.flink ? (r.flink.finishedMs ?? r.endMs) : (r.unregisteredMs ?? r.endMs);
  const runningMs = r.flink ? r.flink.runningMs : r.registeredMs;
  const waitMs = jobWaitMs(r);
  return {
    jobId: r.jobId,
    ...(r.appId ? { appId: r.appId } : {}),
    kind: modeOf(r),
    queue: r.queue,
    ...(r.finalState ? { state: r.finalState } : {}),
    ...(r.submitMs !== undefined ? { submitMs: r.submitMs } : {}),
    ...(runningMs !== undefined ? { runningMs } : {}),
    ...(endMs !== undefined ? { endMs } : {}),
    ...(waitMs !== undefined ? { waitMs } : {}),
    reason: [r.waitReason, r.diagnostics, ...r.skipped].filter(Boolean).join(' — '),
  };
}

function thin<T>(xs: readonly T[], max: number): readonly T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(xs[Math.floor(i * step)] as T);
  out.push(xs[xs.length - 1] as T);
  return out;
}

export interface ReportInput {
  readonly result: SlsResult;
  readonly info: readonly [string, string | number][];
  readonly tracetype: string;
  readonly tracelocation: readonly string[];
  readonly scheduler: string;
  readonly trackJobs: readonly string[];
}

export function reportData(input: ReportInput): SlsReportData {
  const { result } = input;
  const tracked = new Set(input.trackJobs);
  const owners = result.records.filter((r) => r.containers.length > 0);
  const drawn = tracked.size > 0 ? owners.filter((r) => tracked.has(r.jobId)) : owners.slice(0, GANTT_JOBS);
  const simulatedS = result.simulatedMs / 1000;
  const wallS = result.wallMs / 1000;
  return {
    format: 'weft-sls-report/1',
    run: {
      tracetype: input.tracetype,
      tracelocation: input.tracelocation,
      scheduler: input.scheduler,
      simulatedS,
      wallS,
      speedup: wallS > 0 ? simulatedS / wallS : 0,
      events: result.events,
      nodes: result.nodes,
      stuck: result.stuck,
    },
    info: input.info,
    summary: summarize(result.records, result.simulatedMs),
    queues: result.queues,
    samples: thin(result.samples, CHART_SAMPLES),
    jobs: result.records.filter((r) => r.amType !== 'flink-session').slice(0, TABLE_JOBS).map(reportJob),
    tracked: tracked.size > 0,
    gantt: drawn.map((r) => ({
      jobId: r.jobId,
      ...(r.appId ? { appId: r.appId } : {}),
      queue: r.queue,
      ...(r.finalState ? { state: r.finalState } : {}),
      ...(r.submitMs !== undefined ? { submitMs: r.submitMs } : {}),
      containers: r.containers.slice(0, GANTT_CONTAINERS),
      omitted: Math.max(0, r.containers.length - GANTT_CONTAINERS),
    })),
  };
}

/** A page that needs nothing but itself: the data as JSON and the renderer inline. */
export function reportHtml(data: SlsReportData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const renderer = readFileSync(RENDERER, 'utf8');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>weft sls report</title>
</head>
<body>
<div id="sls-report"></div>
<script type="application/json" id="sls-data">${json}</script>
<script type="module">
${renderer}
renderReport(document.getElementById('sls-report'), JSON.parse(document.getElementById('sls-data').textContent));
</script>
</body>
</html>
`;
}
