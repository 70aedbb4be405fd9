import { createWriteStream, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRootLogger } from '../../rm/common/logger.ts';
import { ConfigError } from '../../rm/common/config.ts';
import { rmProperties } from '../../rm/config.ts';
import { SlsInputError } from '../../rm/sls/json-stream.ts';
import { OUTPUT_FILES, prepareOutputDir, RealtimeTrackWriter, writeJobRuntime } from '../../rm/sls/sls-output.ts';
import { loadPlan, simulationInfo, TRACE_TYPES, type TraceType } from '../../rm/sls/sls-plan.ts';
import { reportData, reportHtml } from '../../rm/sls/sls-report.ts';
import { runSimulation, type SlsPlan, type SlsProgress } from '../../rm/sls/sls-runner.ts';
import { formatSimTime } from '../../rm/sls/sls-format.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';

export interface SlsOptions {
  readonly tracetype?: string;
  readonly tracelocation?: string;
  readonly inputSls?: string;
  readonly outputDir?: string;
  readonly nodes?: string;
  readonly trackJobs?: string;
  readonly printSimulation?: boolean;
  readonly config?: string;
  readonly capacityConfig?: string;
  readonly conf: string[];
}

const list = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

function parseOptions(o: SlsOptions): { tracetype: TraceType; tracelocation: string[]; outputDir: string } {
  const tracetype = (o.tracetype ?? (o.inputSls ? 'SLS' : undefined))?.toUpperCase();
  if (!tracetype) throw new CliError('--tracetype is required (SLS or SYNTH)');
  if (tracetype === 'RUMEN') throw new CliError('--tracetype RUMEN is not supported: convert the Rumen trace to an SLS trace (rumen2sls.sh) and use --tracetype SLS');
  if (!(TRACE_TYPES as readonly string[]).includes(tracetype)) throw new CliError(`--tracetype must be SLS or SYNTH, got '${o.tracetype}'`);
  const tracelocation = list(o.tracelocation ?? o.inputSls);
  if (tracelocation.length === 0) throw new CliError('--tracelocation is required: the trace file(s), comma-separated');
  if (!o.outputDir) throw new CliError('--output-dir is required');
  return { tracetype: tracetype as TraceType, tracelocation: tracelocation.map((f) => resolve(f)), outputDir: resolve(o.outputDir) };
}

function progressLine(p: SlsProgress): string {
  const wallS = p.wallMs / 1000;
  const speed = wallS > 0 ? p.simulatedMs / 1000 / wallS : 0;
  const eta = speed > 0 && p.estimatedMs > p.simulatedMs ? (p.estimatedMs - p.simulatedMs) / 1000 / speed : 0;
  const pct = p.estimatedMs > 0 ? Math.min(100, Math.floor((100 * p.simulatedMs) / p.estimatedMs)) : 100;
  return `simulated ${formatSimTime(p.simulatedMs)} / ${formatSimTime(p.estimatedMs)} (${pct}%) · ${Math.round(speed)}x · ${Math.round(p.events / Math.max(wallS, 1e-3)).toLocaleString('en-US')} events/s · jobs ${p.jobsDone}/${p.jobsTotal} · ETA ${Math.ceil(eta)} s`;
}

export async function sls(ctx: CliContext, o: SlsOptions): Promise<number> {
  const { tracetype, tracelocation, outputDir } = parseOptions(o);
  const trackJobs = list(o.trackJobs);
  let plan: SlsPlan;
  try {
    const properties = rmProperties([o.config, o.capacityConfig], o.conf, (w) => ctx.err(`weft sls: warning: ${w}\n`));
    plan = loadPlan({ tracetype, tracelocation, ...(o.nodes ? { nodesFile: resolve(o.nodes) } : {}), trackJobs, properties, outputDir });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof SlsInputError) throw new CliError(err.message);
    throw err;
  }
  const info = simulationInfo(plan);
  if (o.printSimulation) {
    ctx.out('------------------------------------\n');
    ctx.out(`# nodes = ${plan.nodes.length}, # racks = ${new Set(plan.nodes.map((n) => n.rack)).size}, capacity of each node ${plan.nodes[0]?.resource.memory ?? plan.sls.nodeResource.memory} MB memory and ${plan.nodes[0]?.resource.vCores ?? plan.sls.nodeResource.vCores} vcores.\n`);
    for (const [k, v] of info) ctx.out(`${k} : ${v}\n`);
    ctx.out('------------------------------------\n');
  }
  prepareOutputDir(outputDir);
  const logStream = createWriteStream(join(outputDir, 'sls-rm.log'));
  const logger = createRootLogger({ process: 'sls', level: 'warn', destination: logStream });
  const track = new RealtimeTrackWriter(join(outputDir, OUTPUT_FILES.track));
  const tty = process.stderr.isTTY === true;
  let result;
  try {
    result = await runSimulation(plan, {
      logger,
      progressIntervalMs: tty ? 500 : 5000,
      onSample: (s) => track.write(s),
      onProgress: (p) => ctx.err(tty ? `\r${progressLine(p)}\u001b[K` : `${progressLine(p)}\n`),
    });
  } finally {
    track.close();
    await new Promise<void>((done) => logStream.end(done));
  }
  if (tty) ctx.err('\n');
  writeJobRuntime(outputDir, result.records);
  const data = reportData({ result, info, tracetype, tracelocation, scheduler: plan.rm.schedulerType === 'fifo' ? 'FifoScheduler' : 'CapacityScheduler', trackJobs });
  writeFileSync(join(outputDir, OUTPUT_FILES.report), reportHtml(data));
  for (const r of result.records) for (const s of r.skipped) ctx.err(`weft: job ${r.jobId}: ${s}: skipped\n`);
  if (result.stuck) {
    const left = result.records.filter((r) => r.finalState === 'UNFINISHED');
    ctx.err(`weft: ${left.length} job(s) can never finish (${left.slice(0, 5).map((r) => r.jobId).join(', ')}${left.length > 5 ? ', ...' : ''}): the simulation stopped waiting; see wait_reason in ${OUTPUT_FILES.jobs}\n`);
  }
  if (ctx.json) {
    printJson(ctx, { run: data.run, summary: data.summary, output: Object.values(OUTPUT_FILES).map((f) => join(outputDir, f)) });
    return 0;
  }
  const s = data.summary;
  ctx.out('SLSRunner tears down.\n');
  ctx.out(`simulated ${formatSimTime(result.simulatedMs)} in ${data.run.wallS.toFixed(2)} s (${Math.round(data.run.speedup)}x), ${result.events.toLocaleString('en-US')} events\n`);
  ctx.out(`jobs: ${s.jobs} (${s.finished} finished, ${s.failed} failed, ${s.unfinished} never finished); ${s.containers} containers, ${s.containerHours.toFixed(2)} container-hours, ${s.amHours.toFixed(2)} AM-hours\n`);
  for (const m of s.byMode) ctx.out(`  ${m.mode}: ${m.jobs} jobs, ${m.containerHours.toFixed(2)} container-hours, ${m.amHours.toFixed(2)} AM-hours, wait mean ${m.meanWaitS.toFixed(1)} s p95 ${m.p95WaitS.toFixed(1)} s\n`);
  for (const f of Object.values(OUTPUT_FILES)) ctx.out(`wrote ${join(outputDir, f)}\n`);
  return 0;
}
