import { END_OF_INPUT, MAX_WATERMARK } from './stream-element.ts';
import { OperatorChain, type SubtaskInfo } from './operator-chain.ts';
import { isSourceOperator, type SourceOperator, type StreamOperator } from './stream-operator.ts';

/**
 * One subtask of a JobVertex: its operator chain plus the loop that drives it. Input-driven tasks
 * get records pushed by whoever owns the input (in-memory channels, the network); source tasks run
 * their own loop. Lifecycle: open -> (processElement | run)* -> endInput -> close; close also after
 * a failure or cancel.
 */
export interface StreamTask {
  /** "Map -> Sink: Print to Std. Out (2/3)", as Flink names subtasks. */
  readonly name: string;
  readonly isSource: boolean;
  open(info: SubtaskInfo): Promise<void>;
  processElement(record: unknown, timestamp: number): void;
  processWatermark(watermark: number): void;
  /** Whether all outputs can take more records; producers check this between batches. */
  isAvailable(): boolean;
  availability(): Promise<void>;
  /** Source tasks: emit until the source ends or cancel(). Input tasks: resolves at once. */
  run(): Promise<void>;
  cancel(): void;
  endInput(): Promise<void>;
  close(): Promise<void>;
}

/** Records a source emits before it yields to the event loop (and checks backpressure). */
export const SOURCE_BATCH_SIZE = 1024;

export function createStreamTask(info: Pick<SubtaskInfo, 'vertex' | 'subtaskIndex'>): StreamTask {
  const head = info.vertex.operators[0];
  const name = `${info.vertex.name} (${info.subtaskIndex + 1}/${info.vertex.parallelism})`;
  return head?.role === 'source' ? new SourceStreamTask(name) : new OneInputStreamTask(name);
}

export class OneInputStreamTask implements StreamTask {
  readonly name: string;
  readonly isSource: boolean = false;
  protected chain!: OperatorChain;
  private head!: StreamOperator<unknown, unknown>;

  constructor(name: string) {
    this.name = name;
  }

  async open(info: SubtaskInfo): Promise<void> {
    this.chain = new OperatorChain(info);
    this.head = this.chain.head;
    await this.chain.open();
  }

  processElement(record: unknown, timestamp: number): void {
    this.head.collect(record, timestamp);
  }

  processWatermark(watermark: number): void {
    this.head.emitWatermark(watermark);
  }

  isAvailable(): boolean {
    return this.chain.isAvailable();
  }

  availability(): Promise<void> {
    return this.chain.availability();
  }

  async run(): Promise<void> {}

  cancel(): void {}

  endInput(): Promise<void> {
    return this.chain.finish();
  }

  async close(): Promise<void> {
    // A task that failed in open() has no chain to close.
    if (this.chain as OperatorChain | undefined) await this.chain.close();
  }
}

/**
 * A task whose head is a source. Its loop emits a batch, then yields to the event loop with
 * setImmediate so timers, I/O and the consumers of its records get their turn; it waits while an
 * output is backpressured and sleeps while a rate-limited source has nothing due.
 */
export class SourceStreamTask extends OneInputStreamTask {
  override readonly isSource: boolean = true;
  private source!: SourceOperator<unknown>;
  private info!: SubtaskInfo;
  private cancelled = false;
  private wake: (() => void) | undefined;

  override async open(info: SubtaskInfo): Promise<void> {
    await super.open(info);
    this.info = info;
    const head = this.chain.head;
    if (!isSourceOperator(head)) throw new Error(`Task ${this.name} does not start with a source`);
    this.source = head;
  }

  override processElement(): void {
    throw new Error(`Source task ${this.name} takes no input`);
  }

  override async run(): Promise<void> {
    const { source, chain } = this;
    while (!this.cancelled) {
      if (!chain.isAvailable()) {
        await chain.availability();
        continue;
      }
      const emitted = source.emitNext(SOURCE_BATCH_SIZE);
      if (emitted === END_OF_INPUT) {
        // A bounded source ends event time, so downstream windows and timers can fire.
        source.emitWatermark(MAX_WATERMARK);
        return;
      }
      if (emitted === 0) await this.sleep(source.nextDelayMs());
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  override cancel(): void {
    this.cancelled = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const cancelTimer = this.info.services.clock.schedule(ms, () => {
        this.wake = undefined;
        resolve();
      });
      this.wake = () => {
        cancelTimer();
        this.wake = undefined;
        resolve();
      };
    });
  }
}
