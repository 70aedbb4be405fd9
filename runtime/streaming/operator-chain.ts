import type { JobEdge, JobGraph, JobVertex } from '../jobgraph/job-graph.ts';
import { BroadcastingOutput, CopyingChainingOutput, DISCARDING_OUTPUT, SideOutputFilter } from './broadcasting-output.ts';
import type { Output, RecordWriterOutput } from './output.ts';
import type { StreamOperator, TaskServices } from './stream-operator.ts';
import type { ProcessingTimeService } from './time/processing-time-service.ts';
import { DEFAULT_EXECUTION_SETTINGS, type UserCode } from './user-code.ts';

/** Identifies one subtask of a vertex and gives it what it needs to build its chain. */
export interface SubtaskInfo {
  readonly jobGraph: JobGraph;
  readonly vertex: JobVertex;
  readonly subtaskIndex: number;
  readonly attemptNumber: number;
  readonly userCode: UserCode;
  readonly services: TaskServices;
  /** The writer for one outgoing JobEdge of this subtask (in-memory channels, or the network). */
  createOutput(edge: JobEdge): RecordWriterOutput<unknown>;
}

type AnyOperator = StreamOperator<unknown, unknown>;

/**
 * The operators of one JobVertex in one subtask, wired to each other by direct calls (Flink's
 * OperatorChain). Operators with outgoing JobEdges also write to those edges' RecordWriterOutputs.
 */
export class OperatorChain {
  /** Chained operators in topological order, the head first. */
  readonly operators: readonly AnyOperator[];
  readonly head: AnyOperator;
  readonly writers: readonly RecordWriterOutput<unknown>[];
  private opened: AnyOperator[] = [];

  constructor(info: SubtaskInfo, processingTimeService: ProcessingTimeService) {
    const { vertex, jobGraph, userCode } = info;
    const byId = new Map<string, AnyOperator>();
    for (const op of vertex.operators) {
      const factory = userCode.operators.get(op.id);
      if (!factory) throw new Error(`No user code for operator ${op.name} (${op.id}); was the job file loaded with the same arguments?`);
      byId.set(op.id, factory());
    }
    const settings = userCode.settings ?? DEFAULT_EXECUTION_SETTINGS;
    const { objectReuse } = settings;
    const writers: RecordWriterOutput<unknown>[] = [];
    const outEdges = jobGraph.edges.filter((e) => e.source === vertex.id);
    for (const op of vertex.operators) {
      const outputs: Output<unknown>[] = [];
      const chained = vertex.chainedEdges.filter((e) => e.source === op.id);
      // With object reuse off a chained operator gets its own copy (Flink's CopyingChainingOutput),
      // except where no other holder can see what it does with the record: when it only reads it
      // (a print sink), or when the record is its predecessor's own to give away (a filter, whose
      // input was copied for it, with no other successor).
      const handsOver = byId.get(op.id)!.recordUse === 'forwards' && chained.length + outEdges.filter((e) => e.sourceOperator === op.id).length === 1;
      for (const edge of chained) {
        const next = byId.get(edge.target) as AnyOperator;
        const copy = !objectReuse && !handsOver && next.recordUse !== 'reads';
        if (edge.outputTag !== undefined) outputs.push(new SideOutputFilter(edge.outputTag, next, copy));
        else outputs.push(copy ? new CopyingChainingOutput(next) : next);
      }
      for (const edge of outEdges) {
        if (edge.sourceOperator !== op.id) continue;
        const writer = info.createOutput(edge);
        writers.push(writer);
        // A writer serialises (or, in memory, copies) what it takes, so a side output needs no copy here.
        outputs.push(edge.outputTag === undefined ? writer : new SideOutputFilter(edge.outputTag, writer, false));
      }
      const output = outputs.length === 0 ? DISCARDING_OUTPUT : outputs.length === 1 ? (outputs[0] as Output<unknown>) : new BroadcastingOutput(outputs);
      (byId.get(op.id) as AnyOperator).setup(
        {
          jobId: jobGraph.jobId,
          operatorId: op.id,
          operatorName: op.name,
          taskName: vertex.name,
          subtaskIndex: info.subtaskIndex,
          parallelism: vertex.parallelism,
          maxParallelism: vertex.maxParallelism,
          attemptNumber: info.attemptNumber,
          services: info.services,
          processingTimeService,
          settings,
        },
        output,
      );
    }
    this.operators = vertex.operators.map((op) => byId.get(op.id) as AnyOperator);
    this.head = this.operators[0] as AnyOperator;
    this.writers = writers;
  }

  /** Opens the tail first, so no operator emits into one that is not open yet (as Flink does). */
  async open(): Promise<void> {
    for (let i = this.operators.length - 1; i >= 0; i--) {
      const op = this.operators[i] as AnyOperator;
      await op.open();
      this.opened.push(op);
    }
  }

  /** End of input: finish operators head first (each may still emit downstream), then the writers. */
  async finish(): Promise<void> {
    for (const op of this.operators) await op.finish();
    for (const writer of this.writers) await writer.finish();
  }

  /** Closes every opened operator; the first error is rethrown after all were closed. */
  async close(): Promise<void> {
    let failure: Error | undefined;
    for (const op of this.opened.splice(0)) {
      try {
        await op.close();
      } catch (err) {
        failure ??= err instanceof Error ? err : new Error(String(err));
      }
    }
    if (failure !== undefined) throw failure;
  }

  isAvailable(): boolean {
    const writers = this.writers;
    for (let i = 0; i < writers.length; i++) if (!(writers[i] as RecordWriterOutput<unknown>).isAvailable()) return false;
    return true;
  }

  async availability(): Promise<void> {
    for (const writer of this.writers) if (!writer.isAvailable()) await writer.availability();
  }
}
