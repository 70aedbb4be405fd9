import { ConfigError } from '../common/config.ts';
import { SlsInputError } from './json-stream.ts';
import { createSlsConfig } from './sls-config.ts';
import type { JobSpec, NodeSpec, Workload } from './sls-job.ts';
import { readNodesFile } from './sls-nodes.ts';
import { simulationRmConfig, type SlsPlan } from './sls-runner.ts';
import { readSlsTraces } from './sls-trace.ts';
import { readSynthTrace } from './synth-trace.ts';

export const TRACE_TYPES = ['SLS', 'SYNTH'] as const;
export type TraceType = (typeof TRACE_TYPES)[number];

export interface SlsPlanInput {
  readonly tracetype: TraceType;
  readonly tracelocation: readonly string[];
  readonly nodesFile?: string;
  readonly trackJobs?: readonly string[];
  /** RM and SLS properties (`--config`, `--capacity-config`, `--conf`). */
  readonly properties: ReadonlyMap<string, string>;
  readonly outputDir: string;
}

/**
 * Reads everything a run needs before it starts, so that bad input fails before any output is
 * written: the trace (SLS JSON or SYNTH), the nodes (`--nodes`, else those the trace names) and
 * both configurations.
 */
export function loadPlan(input: SlsPlanInput): SlsPlan {
  const sls = createSlsConfig(input.properties);
  const rm = simulationRmConfig(input.properties, input.outputDir);
  if (input.tracelocation.length === 0) throw new SlsInputError('--tracelocation names no file');
  let workload: Workload;
  if (input.tracetype === 'SYNTH') {
    if (input.tracelocation.length > 1) throw new SlsInputError(`--tracetype SYNTH reads one file, got ${input.tracelocation.length}`);
    workload = readSynthTrace(input.tracelocation[0] as string, sls);
  } else {
    workload = readSlsTraces(input.tracelocation, sls);
  }
  const nodes: readonly NodeSpec[] = input.nodesFile ? readNodesFile(input.nodesFile, sls.nodeResource) : workload.nodes;
  if (nodes.length === 0 && workload.jobs.length > 0) {
    throw new SlsInputError(`no nodes to simulate: give --nodes <file>, or "num.nodes" or container.host in the trace`);
  }
  const known = new Set(workload.jobs.map((j) => j.id));
  const unknown = (input.trackJobs ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new ConfigError(`--track-jobs names jobs the trace does not have: ${unknown.join(', ')}`);
  return { jobs: workload.jobs, nodes, sls, rm, trackJobs: input.trackJobs ?? [] };
}

/** SLSRunner's simulateInfoMap (`--print-simulation`), with its key names (typo included). */
export function simulationInfo(plan: SlsPlan): [string, string | number][] {
  const racks = new Set(plan.nodes.map((n) => n.rack));
  const queues = new Set(plan.jobs.map((j) => j.queue));
  const tasks = plan.jobs.reduce((s, j: JobSpec) => s + (j.flink ? j.flink.slots : j.tasks.length), 0);
  const first = plan.nodes[0];
  const apps = plan.jobs.length;
  const estimated = plan.jobs.reduce((m, j) => Math.max(m, j.endMs, j.startMs), 0);
  return [
    ['Number of racks', racks.size],
    ['Number of nodes', plan.nodes.length],
    ['Node memory (MB)', first ? first.resource.memory : plan.sls.nodeResource.memory],
    ['Node VCores', first ? first.resource.vCores : plan.sls.nodeResource.vCores],
    ['Number of applications', apps],
    ['Number of tasks', tasks],
    ['Average tasks per applicaion', apps === 0 ? 0 : Math.floor(tasks / apps)],
    ['Number of queues', queues.size],
    ['Average applications per queue', queues.size === 0 ? 0 : Math.floor(apps / queues.size)],
    ['Estimated simulate time (s)', Math.floor(estimated / 1000)],
  ];
}
