import type { KeySelector } from '../streaming/functions.ts';
import { CoProcessOperator } from '../streaming/operators/co/co-process-operator.ts';
import { CoStreamFlatMap } from '../streaming/operators/co/co-stream-flat-map.ts';
import { CoStreamMap } from '../streaming/operators/co/co-stream-map.ts';
import { KeyedCoProcessOperator } from '../streaming/operators/co/keyed-co-process-operator.ts';
import type { OperatorFactory } from '../streaming/user-code.ts';
import { DataStream } from './data-stream.ts';
import type { CoFlatMapFunction, CoMapFunction } from './functions/co-map-function.ts';
import type { CoProcessFunction } from './functions/co-process-function.ts';
import { KeyedCoProcessFunction, type KeyedCoProcessFunctionObject } from './functions/keyed-co-process-function.ts';
import { asRichFunction } from './functions/plain-function-object.ts';
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

  /** `{ map1, map2 }`, or a RichCoMapFunction; on keyed inputs its runtime context has keyed state. */
  map<R>(fn: CoMapFunction<IN1, IN2, R>): DataStream<R> {
    const rich = asRichFunction(fn);
    const keys = this.keySelectors();
    return this.transform('Co-Map', () => new CoStreamMap(rich, keys) as never);
  }

  flatMap<R>(fn: CoFlatMapFunction<IN1, IN2, R>): DataStream<R> {
    const rich = asRichFunction(fn);
    const keys = this.keySelectors();
    return this.transform('Co-Flat Map', () => new CoStreamFlatMap(rich, keys) as never);
  }

  /**
   * A CoProcessFunction, a KeyedCoProcessFunction, or the object form `{ processElement1,
   * processElement2, onTimer? }`. On keyed inputs (keyBy(k1, k2), or two KeyedStreams) it runs with
   * each record's key current, with keyed state and timers (Flink's KeyedCoProcessOperator);
   * otherwise timers are refused (Flink's CoProcessOperator).
   */
  process<R, K = unknown>(fn: KeyedCoProcessFunction<K, IN1, IN2, R> | CoProcessFunction<IN1, IN2, R> | KeyedCoProcessFunctionObject<K, IN1, IN2, R>): DataStream<R> {
    const rich = asRichFunction(fn as KeyedCoProcessFunctionObject<K, IN1, IN2, R>);
    const keys = this.keySelectors();
    if (keys === undefined) {
      if (fn instanceof KeyedCoProcessFunction) throw new Error('KeyedCoProcessFunction can only be used when both input streams are of type KeyedStream.');
      return this.transform('Co-Process', () => new CoProcessOperator(rich as never) as never);
    }
    const { key1, key2 } = keys as { key1: KeySelector<IN1, K>; key2: KeySelector<IN2, K> };
    return this.transform(fn instanceof KeyedCoProcessFunction ? 'Co-Keyed-Process' : 'Co-Process', () => new KeyedCoProcessOperator(rich, key1, key2) as never);
  }

  /** Both inputs' key selectors when both are keyed; undefined otherwise. */
  private keySelectors(): { key1: KeySelector<IN1, unknown>; key2: KeySelector<IN2, unknown> } | undefined {
    const first = this.firstInput;
    const second = this.secondInput;
    if (!(first instanceof KeyedStream) || !(second instanceof KeyedStream)) return undefined;
    return { key1: (first as KeyedStream<IN1, unknown>).keySelector, key2: (second as KeyedStream<IN2, unknown>).keySelector };
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
