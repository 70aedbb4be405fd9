/**
 * Where collect sinks deliver their records. In one process (LocalExecutor, tests) a
 * {@link CollectRegistry}; in a TaskManager an implementation that batches records and ships them
 * to the JobManager.
 */
export interface CollectOutput {
  collect(sinkName: string, subtaskIndex: number, record: unknown): void;
  /** Subtask `subtaskIndex` of the sink has seen all its input; batching implementations flush here. */
  finish(sinkName: string, subtaskIndex: number): void;
}

/** Keeps collected records in memory by sink name, for tests and local runs. Not a singleton. */
export class CollectRegistry implements CollectOutput {
  private readonly sinks = new Map<string, { records: unknown[]; bySubtask: Map<number, unknown[]>; finished: Set<number> }>();

  collect(sinkName: string, subtaskIndex: number, record: unknown): void {
    const sink = this.sink(sinkName);
    sink.records.push(record);
    let own = sink.bySubtask.get(subtaskIndex);
    if (!own) sink.bySubtask.set(subtaskIndex, (own = []));
    own.push(record);
  }

  finish(sinkName: string, subtaskIndex: number): void {
    this.sink(sinkName).finished.add(subtaskIndex);
  }

  /** Every record the sink received, in arrival order across subtasks. */
  results<T = unknown>(sinkName: string): T[] {
    return [...(this.sinks.get(sinkName)?.records ?? [])] as T[];
  }

  /** The records one subtask of the sink received. */
  resultsOfSubtask<T = unknown>(sinkName: string, subtaskIndex: number): T[] {
    return [...(this.sinks.get(sinkName)?.bySubtask.get(subtaskIndex) ?? [])] as T[];
  }

  finishedSubtasks(sinkName: string): number {
    return this.sinks.get(sinkName)?.finished.size ?? 0;
  }

  names(): string[] {
    return [...this.sinks.keys()];
  }

  private sink(name: string): { records: unknown[]; bySubtask: Map<number, unknown[]>; finished: Set<number> } {
    let sink = this.sinks.get(name);
    if (!sink) this.sinks.set(name, (sink = { records: [], bySubtask: new Map(), finished: new Set() }));
    return sink;
  }
}
