import type { Logger } from 'pino';
import type { Clock } from '../../rm/common/clock.ts';
import type { JobVertex } from '../jobgraph/job-graph.ts';
import { ExecutionState } from '../protocol/records.ts';
import { ExecutionVertex } from './execution-vertex.ts';

export type ExecutionStateCounts = Record<ExecutionState, number>;

export function emptyStateCounts(): ExecutionStateCounts {
  return Object.fromEntries(ExecutionState.options.map((s) => [s, 0])) as ExecutionStateCounts;
}

/**
 * The aggregate state of a JobVertex from its subtasks' states, after Flink's
 * ExecutionJobVertex.getAggregateJobVertexState (failed wins, then cancelling, cancelled, ...;
 * FINISHED only when every subtask finished).
 */
export function aggregateExecutionState(counts: ExecutionStateCounts, parallelism: number): ExecutionState {
  if (counts.FAILED > 0) return 'FAILED';
  if (counts.CANCELING > 0) return 'CANCELING';
  if (counts.CANCELED > 0) return 'CANCELED';
  if (counts.INITIALIZING > 0) return 'INITIALIZING';
  if (counts.RUNNING > 0) return 'RUNNING';
  if (counts.FINISHED > 0) return counts.FINISHED === parallelism ? 'FINISHED' : 'RUNNING';
  if (counts.DEPLOYING > 0) return 'DEPLOYING';
  if (counts.SCHEDULED > 0) return 'SCHEDULED';
  return 'CREATED';
}

/** One JobVertex (a chain of operators) expanded into its parallel subtasks (Flink's ExecutionJobVertex). */
export class ExecutionJobVertex {
  readonly jobVertex: JobVertex;
  readonly taskVertices: readonly ExecutionVertex[];

  constructor(jobVertex: JobVertex, outputEdges: readonly number[], clock: Clock, logger: Logger) {
    this.jobVertex = jobVertex;
    const vertexLogger = logger.child({ jobVertexId: jobVertex.id });
    this.taskVertices = Array.from(
      { length: jobVertex.parallelism },
      (_, subtaskIndex) =>
        new ExecutionVertex({
          jobVertexId: jobVertex.id,
          vertexName: jobVertex.name,
          subtaskIndex,
          parallelism: jobVertex.parallelism,
          outputEdges,
          clock,
          logger: vertexLogger,
        }),
    );
  }

  get id(): string {
    return this.jobVertex.id;
  }

  get name(): string {
    return this.jobVertex.name;
  }

  get parallelism(): number {
    return this.jobVertex.parallelism;
  }

  get maxParallelism(): number {
    return this.jobVertex.maxParallelism;
  }

  get slotSharingGroup(): string {
    return this.jobVertex.slotSharingGroup;
  }

  stateCounts(): ExecutionStateCounts {
    const counts = emptyStateCounts();
    for (const v of this.taskVertices) counts[v.currentExecution.state]++;
    return counts;
  }

  aggregateState(): ExecutionState {
    return aggregateExecutionState(this.stateCounts(), this.parallelism);
  }
}
