import type { Logger } from 'pino';
import type { Clock } from '../../rm/common/clock.ts';
import { StateMachine } from '../../rm/common/state-machine.ts';
import type { JobGraph } from '../jobgraph/job-graph.ts';
import { isGloballyTerminal, type JobStatus, type SerializedThrowable } from '../protocol/records.ts';
import type { JobFileRef } from '../protocol/task-deployment-descriptor.ts';
import type { Execution } from './execution.ts';
import { ExecutionJobVertex } from './execution-job-vertex.ts';
import type { ExecutionVertex } from './execution-vertex.ts';
import { jobStatusTransitions, type JobStatusEvent, type JobStatusRecord } from './job-status-transitions.ts';

export interface ExecutionGraphOptions {
  readonly jobGraph: JobGraph;
  readonly jobFile: JobFileRef;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The JobMaster's view of a running job (Flink's ExecutionGraph): one ExecutionJobVertex per
 * JobVertex in topological order, the JobStatus machine with the time each status was entered,
 * and a registry of the current execution attempts by ExecutionAttemptID (old attempts are not
 * in it, which is how reports about them are fenced off).
 */
export class ExecutionGraph implements JobStatusRecord {
  readonly jobGraph: JobGraph;
  readonly jobFile: JobFileRef;
  readonly verticesInTopologicalOrder: readonly ExecutionJobVertex[];
  readonly statusTimestamps: Partial<Record<JobStatus, number>> = {};
  failureCause: SerializedThrowable | undefined;
  /** How often the job went RESTARTING (Flink's numRestarts). */
  numberOfRestarts = 0;
  private readonly vertices: ReadonlyMap<string, ExecutionJobVertex>;
  private readonly machine: StateMachine<JobStatus, JobStatusEvent, JobStatusRecord>;
  private readonly current = new Map<string, { execution: Execution; vertex: ExecutionVertex }>();
  private readonly clock: Clock;

  constructor(options: ExecutionGraphOptions) {
    this.jobGraph = options.jobGraph;
    this.jobFile = options.jobFile;
    this.clock = options.clock;
    const outputEdges = new Map<string, number[]>();
    options.jobGraph.edges.forEach((edge, index) => {
      outputEdges.set(edge.source, [...(outputEdges.get(edge.source) ?? []), index]);
    });
    this.verticesInTopologicalOrder = options.jobGraph.vertices.map((v) => new ExecutionJobVertex(v, outputEdges.get(v.id) ?? [], options.clock, options.logger));
    this.vertices = new Map(this.verticesInTopologicalOrder.map((v) => [v.id, v]));
    this.machine = new StateMachine<JobStatus, JobStatusEvent, JobStatusRecord>(jobStatusTransitions, 'INITIALIZING', this, 'Job', options.logger);
    this.statusTimestamps.INITIALIZING = this.clock.now();
    for (const v of this.allExecutionVertices()) this.register(v);
  }

  get jobId(): string {
    return this.jobGraph.jobId;
  }

  get jobName(): string {
    return this.jobGraph.jobName;
  }

  get status(): JobStatus {
    return this.machine.state;
  }

  get isGloballyTerminal(): boolean {
    return isGloballyTerminal(this.machine.state);
  }

  /** Applies a JobStatus event; returns whether the status changed. Illegal pairs throw. */
  transition(event: JobStatusEvent): boolean {
    const from = this.machine.state;
    const to = this.machine.handle(event);
    if (to === from) return false;
    this.statusTimestamps[to] = this.clock.now();
    if (to === 'RESTARTING') this.numberOfRestarts++;
    return true;
  }

  canHandle(type: JobStatusEvent['type']): boolean {
    return this.machine.canHandle(type);
  }

  /** Flink's job `start-time`: when the Dispatcher received it. */
  get startTime(): number {
    return this.statusTimestamps.INITIALIZING ?? -1;
  }

  /** When the job reached its globally terminal status, or -1. */
  get endTime(): number {
    return this.isGloballyTerminal ? (this.statusTimestamps[this.status] ?? -1) : -1;
  }

  /** The latest status change (REST `last-modification`). */
  get lastModification(): number {
    return Math.max(...Object.values(this.statusTimestamps));
  }

  getJobVertex(id: string): ExecutionJobVertex | undefined {
    return this.vertices.get(id);
  }

  *allExecutionVertices(): IterableIterator<ExecutionVertex> {
    for (const jv of this.verticesInTopologicalOrder) yield* jv.taskVertices;
  }

  currentExecutions(): Execution[] {
    return [...this.allExecutionVertices()].map((v) => v.currentExecution);
  }

  /** The current attempt with this id, with its vertex; undefined for unknown or superseded attempts. */
  findCurrentExecution(attemptId: string): { execution: Execution; vertex: ExecutionVertex } | undefined {
    return this.current.get(attemptId);
  }

  /** Replaces every subtask's attempt with a new one (attemptNumber + 1), as a full restart does. */
  resetAllForNewExecution(): void {
    for (const v of this.allExecutionVertices()) {
      this.current.delete(v.currentExecution.attemptId);
      v.resetForNewExecution();
      this.register(v);
    }
  }

  allExecutionsFinished(): boolean {
    return this.currentExecutions().every((e) => e.state === 'FINISHED');
  }

  allExecutionsTerminal(): boolean {
    return this.currentExecutions().every((e) => e.isTerminal);
  }

  private register(vertex: ExecutionVertex): void {
    this.current.set(vertex.currentExecution.attemptId, { execution: vertex.currentExecution, vertex });
  }
}
