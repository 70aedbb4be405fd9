import { Partitioner } from '../jobgraph/partitioner.ts';
import { ChainingStrategy } from '../jobgraph/stream-graph.ts';
import type { FilterFunction, FlatMapFunction, KeySelector, MapFunction, ProcessFn } from '../streaming/functions.ts';
import { CollectSinkOperator } from '../streaming/operators/collect-sink-operator.ts';
import { FilterOperator } from '../streaming/operators/filter-operator.ts';
import { FlatMapOperator } from '../streaming/operators/flat-map-operator.ts';
import { MapOperator } from '../streaming/operators/map-operator.ts';
import { PrintSinkOperator } from '../streaming/operators/print-sink-operator.ts';
import { ProcessOperator } from '../streaming/operators/process-operator.ts';
import { TimestampsAndWatermarksOperator } from '../streaming/operators/timestamps-and-watermarks-operator.ts';
import { TextFileSinkOperator } from '../streaming/operators/text-file-sink-operator.ts';
import type { OperatorFactory } from '../streaming/user-code.ts';
import type { WindowAssigner } from '../streaming/windowing/assigners/window-assigner.ts';
import type { GlobalWindow } from '../streaming/windowing/global-window.ts';
import type { Window } from '../streaming/windowing/window.ts';
import { DataStreamSink } from './data-stream-sink.ts';
import type { AllWindowedStream } from './all-windowed-stream.ts';
import { CoGroupedStreams } from './co-grouped-streams.ts';
import type { ConnectedStreams } from './connected-streams.ts';
import { JoinedStreams } from './joined-streams.ts';
import type { WatermarkStrategy } from './eventtime/watermark-strategy.ts';
import type { ProcessFunction } from './functions/process-function.ts';
import type { OutputTag } from './output-tag.ts';
import type { KeyedStream } from './keyed-stream.ts';
import type { StreamExecutionEnvironment } from './stream-execution-environment.ts';
import type { Transformation, TransformationSpec } from './transformation.ts';

/** windowAll's key: every element has it (Flink's NullByteKeySelector). */
const NULL_KEY = (): number => 0;

/**
 * A stream of records of type T (Flink's DataStream / SingleOutputStreamOperator). Each call records
 * a Transformation in the environment; nothing runs until the job is built and executed.
 * Configuration calls (name, uid, setParallelism, ...) apply to the operator that produced this
 * stream, and are refused on virtual streams (after keyBy, union, rebalance, ...).
 */
export class DataStream<T> {
  readonly env: StreamExecutionEnvironment;
  readonly transformation: Transformation;

  constructor(env: StreamExecutionEnvironment, transformation: Transformation) {
    this.env = env;
    this.transformation = transformation;
  }

  /** A function, or a RichMapFunction (open/close, getRuntimeContext(), keyed state after keyBy). */
  map<R>(fn: MapFunction<T, R>): DataStream<R> {
    const keys = this.stateKeySelector();
    return this.oneInput('Map', () => new MapOperator(fn as MapFunction<unknown, unknown>, keys));
  }

  filter(fn: FilterFunction<T>): DataStream<T> {
    const keys = this.stateKeySelector();
    return this.oneInput('Filter', () => new FilterOperator(fn as FilterFunction<unknown>, keys));
  }

  /** `fn` emits through `out.collect(x)` or returns an iterable of results; or a RichFlatMapFunction. */
  flatMap<R>(fn: FlatMapFunction<T, R>): DataStream<R> {
    const keys = this.stateKeySelector();
    return this.oneInput('Flat Map', () => new FlatMapOperator(fn as FlatMapFunction<unknown, unknown>, keys));
  }

  /**
   * A ProcessFunction (processElement(value, ctx, out) with ctx.timestamp(), ctx.timerService(),
   * ctx.output(tag, v)), or its function form `(value, ctx) => ctx.collect(...)`.
   */
  process<R>(fn: ProcessFunction<T, R> | ProcessFn<T, R>): DataStream<R> {
    return this.oneInput('Process', () => new ProcessOperator(fn as ProcessFunction<unknown, unknown>));
  }

  /**
   * The records the operator producing this stream emitted to `tag` (ctx.output(tag, value)); Flink's
   * SingleOutputStreamOperator#getSideOutput.
   */
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    const t = this.physical('getSideOutput');
    return this.derive({ kind: 'side-output', type: 'SideOutput', inputs: [t], outputTag: tag.id });
  }

  /**
   * Event time from here on (Flink's assignTimestampsAndWatermarks): records get the strategy's
   * timestamps, and its watermarks replace those from upstream.
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): DataStream<T> {
    return this.oneInput('Timestamps/Watermarks', () => new TimestampsAndWatermarksOperator(strategy as WatermarkStrategy<unknown>));
  }

  /** Partitions by key: records with equal keys go to the same subtask (by key group). */
  keyBy<K>(keySelector: KeySelector<T, K>): KeyedStream<T, K> {
    return this.env.keyedStream(this, keySelector);
  }

  /**
   * Windows over the whole stream, in one subtask (Flink's windowAll): e.g.
   * `windowAll(TumblingEventTimeWindows.of(Time.seconds(10))).reduce(...)`.
   */
  windowAll<W extends Window>(assigner: WindowAssigner<T, W>): AllWindowedStream<T, W> {
    return this.keyBy(NULL_KEY).allWindowed(assigner);
  }

  /** Every `size` elements of the whole stream, or the last `size` every `slide` (countWindowAll). */
  countWindowAll(size: number, slide?: number): AllWindowedStream<T, GlobalWindow> {
    return this.keyBy(NULL_KEY).allCountWindowed(size, slide);
  }

  /**
   * This stream and `other` into one two-input operator (Flink's connect): `.map({ map1, map2 })`,
   * `.flatMap`, `.process`, or `.keyBy(k1, k2)` first for keyed state and timers.
   */
  connect<T2>(other: DataStream<T2>): ConnectedStreams<T, T2> {
    return this.env.connectedStreams(this, other);
  }

  /**
   * A window join with `other` (Flink's join): `.where(k1).equalTo(k2).window(assigner)
   * .apply((a, b) => ...)`, one result per pair with equal keys in the same window.
   */
  join<T2>(other: DataStream<T2>): JoinedStreams<T, T2> {
    return new JoinedStreams(this, other);
  }

  /** A window coGroup with `other` (Flink's coGroup): per key and window, both sides' elements. */
  coGroup<T2>(other: DataStream<T2>): CoGroupedStreams<T, T2> {
    return new CoGroupedStreams(this, other);
  }

  union(...others: DataStream<T>[]): DataStream<T> {
    for (const other of others) if (other.env !== this.env) throw new Error('union() of streams from different environments');
    return this.derive({ kind: 'union', type: 'Union', inputs: [this.transformation, ...others.map((o) => o.transformation)] });
  }

  rebalance(): DataStream<T> {
    return this.partition(Partitioner.REBALANCE);
  }

  rescale(): DataStream<T> {
    return this.partition(Partitioner.RESCALE);
  }

  broadcast(): DataStream<T> {
    return this.partition(Partitioner.BROADCAST);
  }

  /** Subtask i to subtask i; the next operator must have the same parallelism. */
  forward(): DataStream<T> {
    return this.partition(Partitioner.FORWARD);
  }

  /** Prints each record to the TaskManager's stdout, prefixed `subtask> ` when parallel. */
  print(identifier?: string): DataStreamSink {
    return this.sink('Print to Std. Out', () => new PrintSinkOperator(identifier), identifier === undefined ? {} : { identifier });
  }

  /** One text line per record: the file `path` at parallelism 1, else `path/1` .. `path/n`. */
  writeAsText(path: string): DataStreamSink {
    return this.sink('Text File Sink', () => new TextFileSinkOperator(path), { path });
  }

  /** Delivers records to the task's CollectOutput under `name` (tests read them back). */
  collect(name: string): DataStreamSink {
    return this.sink('Collect Sink', () => new CollectSinkOperator(name), { name });
  }

  name(name: string): this {
    this.physical('name').name = name;
    return this;
  }

  uid(uid: string): this {
    this.physical('uid').uid = uid;
    return this;
  }

  setParallelism(parallelism: number): this {
    const t = this.physical('setParallelism');
    if (t.nonParallel && parallelism !== 1) throw new Error(`The parallelism of non parallel operator ${t.label} must be 1.`);
    t.parallelism = parallelism;
    return this;
  }

  setMaxParallelism(maxParallelism: number): this {
    this.physical('setMaxParallelism').maxParallelism = maxParallelism;
    return this;
  }

  slotSharingGroup(group: string): this {
    this.physical('slotSharingGroup').slotSharingGroup = group;
    return this;
  }

  /** This operator is chained to neither its predecessor nor its successors. */
  disableChaining(): this {
    this.physical('disableChaining').chainingStrategy = ChainingStrategy.NEVER;
    return this;
  }

  /** Starts a new chain at this operator; successors may still chain to it. */
  startNewChain(): this {
    this.physical('startNewChain').chainingStrategy = ChainingStrategy.HEAD;
    return this;
  }

  /**
   * The key selector that scopes keyed state of the next operator (Flink's stateKeySelector):
   * none here; a KeyedStream's own.
   */
  protected stateKeySelector(): KeySelector<unknown, unknown> | undefined {
    return undefined;
  }

  protected oneInput<R>(type: string, factory: OperatorFactory, config: Record<string, unknown> = {}): DataStream<R> {
    return this.derive({ kind: 'operator', type, inputs: [this.transformation], factory, config });
  }

  private partition(partitioner: Partitioner): DataStream<T> {
    return this.derive({ kind: 'partition', type: partitioner, inputs: [this.transformation], partitioner });
  }

  private sink(type: string, factory: OperatorFactory, config: Record<string, unknown>): DataStreamSink {
    return new DataStreamSink(this.env.addTransformation({ kind: 'sink', type, inputs: [this.transformation], factory, config }));
  }

  private derive<R>(spec: TransformationSpec): DataStream<R> {
    return new DataStream<R>(this.env, this.env.addTransformation(spec));
  }

  private physical(call: string): Transformation {
    const t = this.transformation;
    if (!t.isPhysical) throw new Error(`${call}() applies to an operator, not to the result of ${t.type === 'Union' ? 'union()' : t.kind === 'side-output' ? 'getSideOutput()' : `a ${t.type} partitioning`}`);
    return t;
  }
}
