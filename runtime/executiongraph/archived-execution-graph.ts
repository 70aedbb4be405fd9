import type { JobGraph } from '../jobgraph/job-graph.ts';
import type { ExceptionHistoryEntry } from '../scheduler/exception-history.ts';
import type { JobResult } from '../protocol/dispatcher-gateway.ts';
import { isGloballyTerminal, type ExecutionState, type JobStatus, type SerializedThrowable, type TaskIoMetrics, type TaskManagerLocation, type TaskMetricsReport } from '../protocol/records.ts';
import type { ExecutionGraph } from './execution-graph.ts';
import { aggregateExecutionState, emptyStateCounts, type ExecutionStateCounts } from './execution-job-vertex.ts';
import type { Execution } from './execution.ts';

/** One execution attempt as it was when the snapshot was taken (Flink's ArchivedExecution). */
export interface ArchivedExecution {
  readonly attemptId: string;
  readonly attemptNumber: number;
  readonly state: ExecutionState;
  readonly stateTimestamps: Readonly<Partial<Record<ExecutionState, number>>>;
  /** When the attempt was deployed, or -1. */
  readonly startTime: number;
  /** When the attempt reached a terminal state, or -1. */
  readonly endTime: number;
  readonly isTerminal: boolean;
  /** The TaskManager of the slot it was deployed into; undefined before it had one. */
  readonly assignedResourceLocation: TaskManagerLocation | undefined;
  readonly ioMetrics: TaskIoMetrics | undefined;
  /** Watermarks (per input channel, too) and operator metrics, as the task last reported them. */
  readonly metrics: TaskMetricsReport | undefined;
  readonly failure: SerializedThrowable | undefined;
}

/** One subtask with its current attempt (Flink's ArchivedExecutionVertex). */
export interface ArchivedExecutionVertex {
  readonly subtaskIndex: number;
  readonly taskName: string;
  readonly currentExecution: ArchivedExecution;
}

/** One JobVertex with its subtasks (Flink's ArchivedExecutionJobVertex). */
export interface ArchivedExecutionJobVertex {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly taskVertices: readonly ArchivedExecutionVertex[];
  readonly stateCounts: ExecutionStateCounts;
  readonly aggregateState: ExecutionState;
}

/**
 * A job's ExecutionGraph as plain, immutable data (Flink's ArchivedExecutionGraph): what REST
 * handlers, the dashboard and the history server archive read, instead of the JobMaster's live
 * graph. Taken by the JobMaster at the time of the request.
 */
export interface ArchivedExecutionGraph {
  readonly jobId: string;
  readonly jobName: string;
  readonly status: JobStatus;
  readonly statusTimestamps: Readonly<Partial<Record<JobStatus, number>>>;
  readonly failureCause: SerializedThrowable | undefined;
  /** When the Dispatcher received the job. */
  readonly startTime: number;
  /** When the job reached its globally terminal status, or -1. */
  readonly endTime: number;
  /** The latest status change. */
  readonly lastModification: number;
  readonly isGloballyTerminal: boolean;
  /** Restarts so far (Flink's numRestarts metric). */
  readonly numberOfRestarts: number;
  /** The submitted JobGraph (plain data), for the JSON plan. */
  readonly jobGraph: JobGraph;
  readonly verticesInTopologicalOrder: readonly ArchivedExecutionJobVertex[];
}

/**
 * What the JobMaster answers `requestJob` with (Flink's ExecutionGraphInfo): the archived graph
 * and the exception history; weft adds the slot figures `waiting-for-resources` reports.
 */
export interface ExecutionGraphInfo {
  readonly archivedExecutionGraph: ArchivedExecutionGraph;
  /** Newest first. */
  readonly exceptionHistory: readonly ExceptionHistoryEntry[];
  /** Entries were dropped beyond `web.exception-history-size`. */
  readonly exceptionHistoryTruncated: boolean;
  /** Slots the job needs (per slot sharing group the highest parallelism, summed) and holds. */
  readonly slots: { readonly required: number; readonly acquired: number };
}

function archiveExecution(e: Execution): ArchivedExecution {
  return {
    attemptId: e.attemptId,
    attemptNumber: e.attemptNumber,
    state: e.state,
    stateTimestamps: { ...e.stateTimestamps },
    startTime: e.startTime,
    endTime: e.endTime,
    isTerminal: e.isTerminal,
    assignedResourceLocation: e.slot?.location,
    ioMetrics: e.ioMetrics,
    metrics: e.metrics,
    failure: e.failure,
  };
}

/** Copies the live graph into its archived form (Flink's ArchivedExecutionGraph.createFrom). */
export function archiveExecutionGraph(graph: ExecutionGraph): ArchivedExecutionGraph {
  return {
    jobId: graph.jobId,
    jobName: graph.jobName,
    status: graph.status,
    statusTimestamps: { ...graph.statusTimestamps },
    failureCause: graph.failureCause,
    startTime: graph.startTime,
    endTime: graph.endTime,
    lastModification: graph.lastModification,
    isGloballyTerminal: graph.isGloballyTerminal,
    numberOfRestarts: graph.numberOfRestarts,
    jobGraph: graph.jobGraph,
    verticesInTopologicalOrder: graph.verticesInTopologicalOrder.map((jv) => {
      const taskVertices = jv.taskVertices.map((v) => ({ subtaskIndex: v.subtaskIndex, taskName: v.taskName, currentExecution: archiveExecution(v.currentExecution) }));
      const stateCounts = emptyStateCounts();
      for (const v of taskVertices) stateCounts[v.currentExecution.state]++;
      return {
        id: jv.id,
        name: jv.name,
        parallelism: jv.parallelism,
        maxParallelism: jv.maxParallelism,
        taskVertices,
        stateCounts,
        aggregateState: aggregateExecutionState(stateCounts, jv.parallelism),
      };
    }),
  };
}

/** Every subtask's current attempt, in topological order. */
export function currentExecutions(graph: ArchivedExecutionGraph): ArchivedExecution[] {
  return graph.verticesInTopologicalOrder.flatMap((jv) => jv.taskVertices.map((v) => v.currentExecution));
}

/** The job's result once it is globally terminal, else undefined (Flink's JobResult.createFrom). */
export function jobResultOf(graph: ArchivedExecutionGraph): JobResult | undefined {
  if (!isGloballyTerminal(graph.status)) return undefined;
  return {
    jobId: graph.jobId,
    status: graph.status,
    ...(graph.status === 'FINISHED' || !graph.failureCause ? {} : { failureCause: graph.failureCause }),
    netRuntimeMs: Math.max(0, graph.endTime - graph.startTime),
  };
}
