import type { Resource } from '../protocol/records.ts';

/** The AM simulators a trace can name in `am.type`. */
export const AM_TYPES = ['mapreduce', 'stream', 'flink'] as const;
export type AmType = (typeof AM_TYPES)[number];

/** One container a job's AM asks for and "runs" for `durationMs` (SLS's ContainerSimulator). */
export interface TaskSpec {
  /** `map` / `reduce` for mapreduce, anything for stream, `taskmanager` for flink. */
  readonly type: string;
  readonly resource: Resource;
  readonly durationMs: number;
  /** Preferred host and rack from `container.host` (`/rack/host`). */
  readonly host?: string;
  readonly rack?: string;
  readonly priority: number;
  readonly executionType: 'GUARANTEED' | 'OPPORTUNISTIC';
  readonly allocationRequestId: number;
}

export interface FlinkJobSpec {
  /** `per-job`: a YARN application per job; `session`: jobs share one session cluster. */
  readonly mode: 'per-job' | 'session';
  /** Which session cluster a session job runs on. */
  readonly session: string;
  /** Slots the job needs (its parallelism), and for how long it runs once they are all there. */
  readonly slots: number;
  readonly runMs: number;
  readonly taskManagerResource: Resource;
}

export interface JobSpec {
  /** Where it came from, for messages: file and zero-based job index in it. */
  readonly source: string;
  /** `job.id`, or a generated zero-based counter as SLS does. */
  readonly id: string;
  readonly amType: AmType;
  readonly queue: string;
  readonly user: string;
  /** Trace times, relative to the simulation start. */
  readonly startMs: number;
  readonly endMs: number;
  readonly amResource: Resource;
  /** From launch of the AM container to its registration. */
  readonly amStartupMs: number;
  /** From launch of a task container until it is doing work (Flink TaskManager start-up). */
  readonly containerStartupMs: number;
  readonly tasks: readonly TaskSpec[];
  readonly flink?: FlinkJobSpec;
}

export interface NodeSpec {
  readonly host: string;
  readonly rack: string;
  readonly resource: Resource;
}

/** A parsed workload: the jobs in start order and the nodes they name. */
export interface Workload {
  readonly jobs: readonly JobSpec[];
  /** Nodes named by the trace (num.nodes, container hosts); a `--nodes` file replaces them. */
  readonly nodes: readonly NodeSpec[];
  /** Task containers that were dropped when read, with why (e.g. larger than the maximum allocation). */
  readonly skipped: readonly string[];
}

/** `/rack/host` or `host` -> rack and host, as SLSUtils.getRackHostName. */
export function rackAndHost(name: string): { rack: string; host: string } {
  const i = name.lastIndexOf('/');
  if (i < 0) return { rack: 'default-rack', host: name };
  const rack = name.slice(0, i).replace(/^\/+/, '');
  return { rack: rack || 'default-rack', host: name.slice(i + 1) };
}

/** SLSUtils.generateNodes: `num.nodes` spread round-robin over `num.racks` as `/rack<i%r>/node<i>`. */
export function generateNodes(numNodes: number, numRacks: number, resource: Resource): NodeSpec[] {
  const racks = Math.min(Math.max(1, numRacks), Math.max(1, numNodes));
  return Array.from({ length: numNodes }, (_, i) => ({ host: `node${i}`, rack: `rack${i % racks}`, resource }));
}
