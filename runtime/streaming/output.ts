import type { OutputTag } from '../api/output-tag.ts';

/**
 * How elements leave an operator. Inside a chain the next operator *is* the Output (its collect()
 * is its processElement), so a record crosses a chain by plain method calls with no wrapper object.
 * At the end of a chain a {@link RecordWriterOutput} hands records to other subtasks: the in-memory
 * channels of the LocalExecutor now, the network's record writer later.
 */
export interface Output<T> {
  /** One record; `timestamp` is NO_TIMESTAMP when it has none. */
  collect(record: T, timestamp: number): void;
  /**
   * A record for the side output `tag` (Flink's Output#collect(OutputTag, record)). Only outputs
   * wired to that tag (a {@link SideOutputFilter} in the chain) pass it on; the others ignore it,
   * as Flink's outputs check OutputTag.isResponsibleFor.
   */
  collectSideOutput<X>(tag: OutputTag<X>, record: X, timestamp: number): void;
  emitWatermark(watermark: number): void;
  /** Flink's WatermarkStatus: IDLE (true) excludes this stream from downstream minimums until ACTIVE. */
  emitWatermarkStatus(idle: boolean): void;
}

/** What user functions see: Flink's Collector. */
export interface Collector<T> {
  collect(record: T): void;
}

/**
 * The output of a task into one JobEdge. Writing never blocks (JS cannot); instead producers check
 * isAvailable() between batches and await availability() when a consumer is behind, which is how
 * backpressure reaches the sources.
 */
export interface RecordWriterOutput<T> extends Output<T> {
  isAvailable(): boolean;
  /** Resolves once isAvailable() would return true. */
  availability(): Promise<void>;
  /** Sends buffered records now (buffer timeout); a no-op for unbuffered writers. */
  flush(): void;
  /** All records were written: flush and send end-of-partition to every consumer. */
  finish(): Promise<void>;
}
