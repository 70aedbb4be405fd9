import type { Logger } from 'pino';
import type { Clock } from '../../rm/common/clock.ts';
import { StateMachine } from '../../rm/common/state-machine.ts';
import { isTerminalExecutionState, newFlinkId, type ExecutionState, type SerializedThrowable, type TaskIoMetrics, type TaskManagerLocation, type TaskMetricsReport } from '../protocol/records.ts';
import { executionStateTransitions, type ExecutionEvent, type ExecutionRecord } from './execution-state-transitions.ts';

/** The slot an execution was deployed into: the allocation and the TaskManager that holds it. */
export interface AssignedSlot {
  readonly allocationId: string;
  readonly location: TaskManagerLocation;
}

export interface ExecutionOptions {
  readonly attemptNumber: number;
  /** Number of the producing vertex's output edges; one result partition is created for each. */
  readonly outputEdges: readonly number[];
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * One attempt to run one subtask (Flink's Execution): its ExecutionAttemptID, its state with the
 * time each state was entered (REST `timestamps` / `status-duration`), the slot it runs in, the
 * result partitions it produces (one per output edge) and its latest I/O metrics.
 */
export class Execution implements ExecutionRecord {
  readonly attemptId: string = newFlinkId();
  readonly attemptNumber: number;
  /** Result partition id by index of the output edge in the JobGraph's edge list. */
  readonly producedPartitions: ReadonlyMap<number, string>;
  readonly stateTimestamps: Partial<Record<ExecutionState, number>> = {};
  failure: SerializedThrowable | undefined;
  slot: AssignedSlot | undefined;
  ioMetrics: TaskIoMetrics | undefined;
  /** The latest watermarks and operator metrics the task reported. */
  metrics: TaskMetricsReport | undefined;
  private readonly machine: StateMachine<ExecutionState, ExecutionEvent, ExecutionRecord>;
  private readonly clock: Clock;

  constructor(options: ExecutionOptions) {
    this.attemptNumber = options.attemptNumber;
    this.clock = options.clock;
    this.producedPartitions = new Map(options.outputEdges.map((edgeIndex) => [edgeIndex, newFlinkId()]));
    const logger = options.logger.child({ executionAttemptId: this.attemptId, attemptNumber: this.attemptNumber });
    this.machine = new StateMachine<ExecutionState, ExecutionEvent, ExecutionRecord>(executionStateTransitions, 'CREATED', this, 'Execution', logger);
    this.stateTimestamps.CREATED = this.clock.now();
  }

  get state(): ExecutionState {
    return this.machine.state;
  }

  get isTerminal(): boolean {
    return isTerminalExecutionState(this.machine.state);
  }

  canHandle(type: ExecutionEvent['type']): boolean {
    return this.machine.canHandle(type);
  }

  /** Applies an event; returns whether the state changed. Illegal pairs throw. */
  handle(event: ExecutionEvent): boolean {
    const from = this.machine.state;
    const to = this.machine.handle(event);
    if (to === from) return false;
    this.stateTimestamps[to] = this.clock.now();
    return true;
  }

  /** When the attempt was deployed (Flink's subtask `start-time`), or -1. */
  get startTime(): number {
    return this.stateTimestamps.DEPLOYING ?? -1;
  }

  /** When the attempt reached a terminal state, or -1. */
  get endTime(): number {
    if (!this.isTerminal) return -1;
    return this.stateTimestamps[this.machine.state] ?? -1;
  }

  partitionFor(edgeIndex: number): string {
    const id = this.producedPartitions.get(edgeIndex);
    if (id === undefined) throw new Error(`execution ${this.attemptId} produces no partition for edge ${edgeIndex}`);
    return id;
  }
}
