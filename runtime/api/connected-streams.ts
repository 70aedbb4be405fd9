import type { KeySelector } from '../streaming/functions.ts';
import { CoStreamFlatMap } from '../streaming/operators/co/co-stream-flat-map.ts';
import { CoStreamMap } from '../streaming/operators/co/co-stream-map.ts';
import type { OperatorFactory } from '../streaming/user-code.ts';
import { DataStream } from './data-stream.ts';
import type { CoFlatMapFunction, CoMapFunction } from './functions/co-map-function.ts';
import { KeyedStream } from './keyed-stream.ts';
import type { StreamExecutionEnvironment } from './stream-execution-environment.ts';

/**
 * Two streams, possibly of different types, processed by one operator with two inputs (Flink's
 * ConnectedStreams, from `a.connect(b)`): each function has a method per input, and the operator's
 * event time is the minimum of both inputs' watermarks. keyBy(k1, k2) partitions both sides by key,
 * so elements of either input with equal keys meet in the same subtask and share keyed state.
 */
export class ConnectedStreams<IN1, IN2> {
  readonly env: StreamExecutionEnvironment;
  readonly firstInput: DataStream<IN1>;
  readonly secondInput: DataStream<IN2>;

  /** @internal Built by DataStream.connect(). */
  constructor(env: StreamExecutionEnvironment, first: DataStream<IN1>, second: DataStream<IN2>) {
    if (first.env !== second.env) throw new Error('connect() of streams from different environments');
    this.env = env;
    this.firstInput = first;
    this.secondInput = second;
  }

  getFirstInput(): DataStream<IN1> {
    return this.firstInput;
  }

  getSecondInput(): DataStream<IN2> {
    return this.secondInput;
  }

  /** Both inputs keyed: the first by `keySelector1`, the second by `keySelector2` (same key space). */
  keyBy<K>(keySelector1: KeySelector<IN1, K>, keySelector2: KeySelector<IN2, K>): ConnectedStreams<IN1, IN2> {
    return new ConnectedStreams(this.env, this.firstInput.keyBy(keySelector1), this.secondInput.keyBy(keySelector2));
  }

  /** Whether both inputs are KeyedStreams (then keyed state and timers are available). */
  get isKeyed(): boolean {
    return this.firstInput instanceof KeyedStream && this.secondInput instanceof KeyedStream;
  }

  map<R>(fn: CoMapFunction<IN1, IN2, R>): DataStream<R> {
    return this.transform('Co-Map', () => new CoStreamMap(fn) as never);
  }

  flatMap<R>(fn: CoFlatMapFunction<IN1, IN2, R>): DataStream<R> {
    return this.transform('Co-Flat Map', () => new CoStreamFlatMap(fn) as never);
  }

  /** @internal The two-input operator `factory` over both inputs (Flink's ConnectedStreams#transform). */
  transform<R>(type: string, factory: OperatorFactory, config: Record<string, unknown> = {}): DataStream<R> {
    const t = this.env.addTransformation({
      kind: 'operator',
      type,
      inputs: [this.firstInput.transformation, this.secondInput.transformation],
      factory,
      config,
      twoInput: true,
    });
    return new DataStream<R>(this.env, t);
  }
}
