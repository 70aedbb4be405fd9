import type { IndexedInputGate } from '../../network/input-gate.ts';
import { inputEdges } from '../../jobgraph/job-graph.ts';
import { StreamTaskNetworkInput, type DataOutput, type InputWatermarks } from '../io/stream-task-network-input.ts';
import { StreamTwoInputProcessor } from '../io/stream-two-input-processor.ts';
import type { OperatorChain, SubtaskInfo } from '../operator-chain.ts';
import { isTwoInputStreamOperator, type TwoInputStreamOperator } from '../stream-operator.ts';
import { StreamTask } from './stream-task.ts';

/**
 * A task whose head has two inputs (Flink's TwoInputStreamTask): its gates are split by the
 * typeNumber of the JobEdge each one reads, each side gets its own network input and watermark
 * valve, and the head combines the two sides' watermarks.
 */
export class TwoInputStreamTask extends StreamTask {
  /** For each gate of the environment, in order: its input (0 or 1) and its index in that input. */
  private gateSides: { readonly side: 0 | 1; readonly index: number }[] = [];
  private head: TwoInputStreamOperator<unknown, unknown, unknown> | null = null;

  protected override init(chain: OperatorChain, info: SubtaskInfo): void {
    const head = chain.head;
    if (!isTwoInputStreamOperator(head)) throw new Error(`Task ${this.name} reads two inputs but its head '${info.vertex.operators[0]?.name ?? '?'}' is not a two-input operator`);
    const edges = inputEdges(info.jobGraph, info.vertex.id);
    const gates = this.environment.inputGates ?? [];
    if (gates.length !== edges.length) throw new Error(`Task ${this.name} has ${gates.length} input gates for ${edges.length} input edges`);
    const sides: [IndexedInputGate<unknown>[], IndexedInputGate<unknown>[]] = [[], []];
    edges.forEach((edge, i) => {
      if (edge.typeNumber !== 1 && edge.typeNumber !== 2) throw new Error(`Task ${this.name}: the edge from ${edge.source} does not say which input it feeds (typeNumber)`);
      const side = edge.typeNumber === 1 ? 0 : 1;
      this.gateSides.push({ side, index: sides[side].length });
      sides[side].push(gates[i]!);
    });
    if (sides[0].length === 0 || sides[1].length === 0) throw new Error(`Task ${this.name} needs edges into both of its inputs`);
    const input1 = new StreamTaskNetworkInput(sides[0], new TwoInputNetworkOutput(chain, head, 1));
    const input2 = new StreamTaskNetworkInput(sides[1], new TwoInputNetworkOutput(chain, head, 2));
    this.inputProcessor = new StreamTwoInputProcessor(input1, input2, () => chain.isAvailable());
    this.head = head;
  }

  /**
   * Both inputs' channels in the task's gate order; the task's watermark is the head's combined
   * one, and the channel holding it back is the one holding back the lower of the two inputs.
   */
  protected override inputWatermarks(): InputWatermarks | undefined {
    const processor = this.inputProcessor as StreamTwoInputProcessor | null;
    const head = this.head;
    if (processor === null || head === null) return undefined;
    const sides = processor.inputs.map((input) => input.inputWatermarks());
    const gates = this.gateSides.map(({ side, index }) => sides[side]!.gates[index]!);
    let holding: number | undefined;
    sides.forEach((w, side) => {
      if (w.heldBackBy !== undefined && (holding === undefined || w.currentInputWatermark < sides[holding]!.currentInputWatermark)) holding = side;
    });
    let heldBackBy: InputWatermarks['heldBackBy'];
    if (holding !== undefined) {
      const local = sides[holding]!.heldBackBy!;
      const gate = this.gateSides.findIndex((g) => g.side === holding && g.index === local.gate);
      heldBackBy = { gate, channel: local.channel };
    }
    return { currentInputWatermark: head.currentWatermark, gates, heldBackBy };
  }
}

/** Hands what one side read to that side's methods of the head (Flink's StreamTaskNetworkOutput per input). */
class TwoInputNetworkOutput implements DataOutput<unknown> {
  private readonly chain: OperatorChain;
  private readonly head: TwoInputStreamOperator<unknown, unknown, unknown>;
  private readonly first: boolean;

  constructor(chain: OperatorChain, head: TwoInputStreamOperator<unknown, unknown, unknown>, input: 1 | 2) {
    this.chain = chain;
    this.head = head;
    this.first = input === 1;
  }

  emitRecord(record: unknown, timestamp: number): void {
    if (this.first) this.head.processElement1(record, timestamp);
    else this.head.processElement2(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    if (this.first) this.head.processWatermark1(watermark);
    else this.head.processWatermark2(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    if (this.first) this.head.processWatermarkStatus1(idle);
    else this.head.processWatermarkStatus2(idle);
  }

  isAvailable(): boolean {
    return this.chain.isAvailable();
  }
}
