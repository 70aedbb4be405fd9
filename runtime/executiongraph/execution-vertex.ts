import type { Logger } from 'pino';
import type { Clock } from '../../rm/common/clock.ts';
import { Execution } from './execution.ts';

export interface ExecutionVertexOptions {
  readonly jobVertexId: string;
  readonly vertexName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly outputEdges: readonly number[];
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * One parallel subtask of a JobVertex (Flink's ExecutionVertex). It always has a current
 * Execution; a restart replaces it with attempt n+1 and keeps the old ones for history.
 */
export class ExecutionVertex {
  readonly jobVertexId: string;
  readonly subtaskIndex: number;
  /** "Map -> Sink: Print to Std. Out (2/3)", as Flink names subtasks. */
  readonly taskName: string;
  readonly priorExecutions: Execution[] = [];
  private current: Execution;
  private readonly options: ExecutionVertexOptions;

  constructor(options: ExecutionVertexOptions) {
    this.options = options;
    this.jobVertexId = options.jobVertexId;
    this.subtaskIndex = options.subtaskIndex;
    this.taskName = `${options.vertexName} (${options.subtaskIndex + 1}/${options.parallelism})`;
    this.current = this.createExecution(0);
  }

  get currentExecution(): Execution {
    return this.current;
  }

  /** Starts a new attempt (attemptNumber + 1); the current one must be terminal. */
  resetForNewExecution(): Execution {
    if (!this.current.isTerminal) throw new Error(`${this.taskName}: cannot reset while attempt ${this.current.attemptNumber} is ${this.current.state}`);
    this.priorExecutions.push(this.current);
    this.current = this.createExecution(this.current.attemptNumber + 1);
    return this.current;
  }

  private createExecution(attemptNumber: number): Execution {
    return new Execution({
      attemptNumber,
      outputEdges: this.options.outputEdges,
      clock: this.options.clock,
      logger: this.options.logger.child({ subtaskIndex: this.subtaskIndex }),
    });
  }
}
