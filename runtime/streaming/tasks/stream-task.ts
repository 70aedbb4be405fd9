import { InputStatus, type IndexedInputGate } from '../../network/input-gate.ts';
import type { TaskIOMetrics } from '../../network/task-io-metrics.ts';
import type { JobVertex } from '../../jobgraph/job-graph.ts';
import type { InputWatermarks } from '../io/stream-task-network-input.ts';
import type { StreamInputProcessor } from '../io/stream-input-processor.ts';
import { OperatorChain, type SubtaskInfo } from '../operator-chain.ts';
import type { OperatorMetrics } from '../stream-operator.ts';
import { MailboxProcessingTimeService } from '../time/processing-time-service.ts';
import { MailboxProcessor, type MailboxController, type MailboxDefaultAction, type MailboxExecutor } from './mailbox-processor.ts';

/** An output besides the chain's record writers that can hold the task back (the collect shipper). */
export interface OutputAvailability {
  isAvailable(): boolean;
  availability(): Promise<void>;
}

/** What the host of a task (a TaskManager's Task, the LocalExecutor) gives it besides its SubtaskInfo. */
export interface StreamTaskEnvironment {
  /** Where the task books its idle and back-pressured time. */
  readonly metrics: TaskIOMetrics;
  /**
   * The gates the task reads (network gates, or in-memory ones in the LocalExecutor): one per input
   * JobEdge of its vertex, in the job graph's edge order, which is how a two-input task tells its
   * inputs apart (each edge's typeNumber).
   */
  readonly inputGates?: readonly IndexedInputGate<unknown>[];
  readonly extraOutput?: OutputAvailability | null;
}

/** A task's watermarks and its operators' metrics at one moment: read when the task reports, never per record. */
export interface StreamTaskMetrics {
  /** A task with network inputs: what its valve holds and forwarded (Flink's task-scope currentInputWatermark). */
  readonly input: InputWatermarks | undefined;
  /** The WatermarkStatus the chain last announced downstream (its last operator's): IDLE (true) or ACTIVE. */
  readonly idle: boolean;
  /** The chained operators, head first, with Flink's operator-scope metrics. */
  readonly operators: readonly { readonly id: string; readonly name: string; readonly metrics: OperatorMetrics }[];
}

/**
 * One subtask of a JobVertex (Flink's StreamTask): its operator chain plus the mailbox loop that
 * drives it, the same in a TaskManager and in the LocalExecutor. Lifecycle: open -> run -> endInput
 * -> close; close also after a failure or cancel. Work that must run in the task's loop (timers,
 * checkpoint triggers) goes through {@link mailboxExecutor}.
 */
export abstract class StreamTask implements MailboxDefaultAction {
  /** "Map -> Sink: Print to Std. Out (2/3)", as Flink names subtasks. */
  readonly name: string;
  protected readonly environment: StreamTaskEnvironment;
  protected readonly mailboxProcessor: MailboxProcessor;
  protected chain: OperatorChain | null = null;
  /** The operators' processing time: the host's clock, callbacks as mails of this task. */
  protected timerService: MailboxProcessingTimeService | null = null;
  /** What the default action reads from; set by init() of tasks with inputs. */
  protected inputProcessor: StreamInputProcessor | null = null;
  private readonly extraOutput: OutputAvailability | null;
  private vertex: JobVertex | null = null;

  constructor(name: string, environment: StreamTaskEnvironment) {
    this.name = name;
    this.environment = environment;
    this.extraOutput = environment.extraOutput ?? null;
    this.mailboxProcessor = new MailboxProcessor(this, environment.metrics);
  }

  get mailboxExecutor(): MailboxExecutor {
    return this.mailboxProcessor;
  }

  async open(info: SubtaskInfo): Promise<void> {
    this.timerService = new MailboxProcessingTimeService(info.services.clock, this.mailboxProcessor);
    const chain = new OperatorChain(info, this.timerService);
    this.chain = chain;
    this.vertex = info.vertex;
    this.init(chain, info);
    await chain.open();
  }

  /** Checks and keeps what the task's loop needs, before the chain opens. */
  protected init(_chain: OperatorChain, _info: SubtaskInfo): void {}

  /** Runs the task's loop until its input ends (a source: until it is exhausted) or cancel(). */
  async run(): Promise<void> {
    try {
      await this.mailboxProcessor.runMailboxLoop();
    } finally {
      // Timers due after the input ended do not fire (Flink quiesces the timer service here).
      this.timerService?.quiesce();
    }
  }

  /**
   * One turn (Flink's StreamTask#processInput): a batch of input into the chain's head; wait (idle)
   * when no input has anything and (back-pressured) while an output cannot take more. Sources
   * override it.
   */
  runDefaultAction(controller: MailboxController): void {
    const processor = this.inputProcessor!;
    const status = processor.processInput();
    if (status === InputStatus.END_OF_INPUT) {
      controller.allActionsCompleted();
      return;
    }
    const blocked = this.blockedOutput();
    if (blocked !== null) controller.suspendDefaultAction(blocked, 'output');
    else if (status === InputStatus.NOTHING_AVAILABLE) controller.suspendDefaultAction(processor.availability(), 'input');
  }

  /** Undefined until the chain is built. */
  metricsSnapshot(): StreamTaskMetrics | undefined {
    const chain = this.chain;
    const vertex = this.vertex;
    if (chain === null || vertex === null) return undefined;
    const ops = chain.operators;
    return {
      input: this.inputWatermarks(),
      idle: ops[ops.length - 1]?.isOutputIdle ?? false,
      operators: ops.map((op, i) => ({ id: vertex.operators[i]!.id, name: vertex.operators[i]!.name, metrics: op.metrics?.() ?? {} })),
    };
  }

  /** The valve's view of the task's network inputs; a source has none. */
  protected inputWatermarks(): InputWatermarks | undefined {
    return undefined;
  }

  /** Whether all outputs of the chain can take more records. */
  isAvailable(): boolean {
    return this.chain?.isAvailable() ?? true;
  }

  availability(): Promise<void> {
    return this.chain?.availability() ?? Promise.resolve();
  }

  cancel(): void {
    this.timerService?.quiesce();
    this.mailboxProcessor.stop();
  }

  async endInput(): Promise<void> {
    await this.chain?.finish();
  }

  async close(): Promise<void> {
    // A task that failed in open() may have no chain to close.
    await this.chain?.close();
  }

  /** Null while every output can take more records; else when the first blocked one can. */
  protected blockedOutput(): Promise<void> | null {
    const chain = this.chain!;
    if (!chain.isAvailable()) return chain.availability();
    const extra = this.extraOutput;
    if (extra !== null && !extra.isAvailable()) return extra.availability();
    return null;
  }
}
