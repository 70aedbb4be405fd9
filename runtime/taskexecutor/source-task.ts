import type { TaskIOMetrics } from '../network/task-io-metrics.ts';
import { OperatorChain, type SubtaskInfo } from '../streaming/operator-chain.ts';
import { END_OF_INPUT, MAX_WATERMARK } from '../streaming/stream-element.ts';
import { isSourceOperator, type SourceOperator } from '../streaming/stream-operator.ts';
import { SOURCE_BATCH_SIZE, type StreamTask } from '../streaming/stream-task.ts';
import type { OutputAvailability } from './stream-input-processor.ts';

/**
 * A source task in a TaskManager: the loop of streaming's SourceStreamTask, with its waits booked
 * in the task's I/O metrics — back-pressured while an output has no buffer (what Flink's
 * back-pressure view reads from the upstream task), idle while a rate-limited source has nothing
 * due. Emits a batch, then yields to the event loop so timers, sockets and consumers get their turn.
 */
export class SourceTask implements StreamTask {
  readonly name: string;
  readonly isSource = true;
  private readonly metrics: TaskIOMetrics;
  private readonly extraOutput: OutputAvailability | null;
  private chain: OperatorChain | null = null;
  private source: SourceOperator<unknown> | null = null;
  private clock: SubtaskInfo['services']['clock'] | null = null;
  private cancelled = false;
  private wake: (() => void) | null = null;

  constructor(name: string, metrics: TaskIOMetrics, extraOutput: OutputAvailability | null = null) {
    this.name = name;
    this.metrics = metrics;
    this.extraOutput = extraOutput;
  }

  async open(info: SubtaskInfo): Promise<void> {
    const chain = new OperatorChain(info);
    this.chain = chain;
    if (!isSourceOperator(chain.head)) throw new Error(`Task ${this.name} does not start with a source`);
    this.source = chain.head;
    this.clock = info.services.clock;
    await chain.open();
  }

  processElement(): void {
    throw new Error(`Source task ${this.name} takes no input`);
  }

  processWatermark(): void {}

  isAvailable(): boolean {
    return this.chain?.isAvailable() ?? true;
  }

  availability(): Promise<void> {
    return this.chain?.availability() ?? Promise.resolve();
  }

  async run(): Promise<void> {
    const chain = this.chain!;
    const source = this.source!;
    const metrics = this.metrics;
    while (!this.cancelled) {
      if (!chain.isAvailable()) {
        await metrics.waitForOutput(this.interruptible(chain.availability()));
        continue;
      }
      if (this.extraOutput !== null && !this.extraOutput.isAvailable()) {
        await metrics.waitForOutput(this.interruptible(this.extraOutput.availability()));
        continue;
      }
      const emitted = source.emitNext(SOURCE_BATCH_SIZE);
      if (emitted === END_OF_INPUT) {
        // A bounded source ends event time, so downstream windows and timers can fire.
        source.emitWatermark(MAX_WATERMARK);
        return;
      }
      if (emitted === 0) await metrics.waitForInput(this.sleep(source.nextDelayMs()));
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  cancel(): void {
    this.cancelled = true;
    this.wake?.();
  }

  async endInput(): Promise<void> {
    await this.chain?.finish();
  }

  async close(): Promise<void> {
    await this.chain?.close();
  }

  /** Resolves on `promise` or on cancel(), whichever comes first. */
  private interruptible(promise: Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
      promise.then(
        () => {
          this.wake = null;
          resolve();
        },
        reject,
      );
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const cancelTimer = this.clock!.schedule(ms, () => {
        this.wake = null;
        resolve();
      });
      this.wake = () => {
        cancelTimer();
        this.wake = null;
        resolve();
      };
    });
  }
}
