import { generateJobGraph } from '../jobgraph/job-graph-generator.ts';
import type { JobGraph } from '../jobgraph/job-graph.ts';
import { Partitioner } from '../jobgraph/partitioner.ts';
import type { KeySelector } from '../streaming/functions.ts';
import { ElementsSource } from '../streaming/sources/elements-source.ts';
import { GeneratorSource, type GeneratorSpec } from '../streaming/sources/generator-source.ts';
import { SequenceSource } from '../streaming/sources/sequence-source.ts';
import { SourceWithWatermarks } from '../streaming/sources/source-with-watermarks.ts';
import type { SourceOperator } from '../streaming/stream-operator.ts';
import { TextFileSource } from '../streaming/sources/text-file-source.ts';
import type { OperatorFactory, UserCode } from '../streaming/user-code.ts';
import { ConnectedStreams } from './connected-streams.ts';
import { DataStream } from './data-stream.ts';
import type { WatermarkStrategy } from './eventtime/watermark-strategy.ts';
import { ExecutionConfig } from './execution-config.ts';
import { KeyedStream } from './keyed-stream.ts';
import { translateTransformations } from './stream-graph-translator.ts';
import { Transformation, type TransformationSpec } from './transformation.ts';

export interface EnvironmentOptions {
  /** `parallelism.default`; 1 unless set (the CLI's --parallelism sets it). */
  readonly parallelism?: number;
  readonly maxParallelism?: number;
}

export interface BuiltJob {
  readonly jobGraph: JobGraph;
  readonly userCode: UserCode;
}

/**
 * Where a job starts (Flink's StreamExecutionEnvironment): sources, job-wide settings, and
 * buildJob(), which turns what the job file built into a JobGraph plus its user code.
 */
export class StreamExecutionEnvironment {
  private readonly transformations: Transformation[] = [];
  private parallelism: number;
  private maxParallelism: number | undefined;
  private chainingEnabled = true;
  private jobName: string | undefined;
  private readonly config = new ExecutionConfig();

  constructor(options: EnvironmentOptions = {}) {
    this.parallelism = options.parallelism ?? 1;
    this.maxParallelism = options.maxParallelism;
  }

  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new Error(`Parallelism must be a positive integer, got ${parallelism}`);
    this.parallelism = parallelism;
    return this;
  }

  getParallelism(): number {
    return this.parallelism;
  }

  setMaxParallelism(maxParallelism: number): this {
    this.maxParallelism = maxParallelism;
    return this;
  }

  getMaxParallelism(): number | undefined {
    return this.maxParallelism;
  }

  /** Flink's env.getConfig(): object reuse, the auto-watermark interval. */
  getConfig(): ExecutionConfig {
    return this.config;
  }

  disableOperatorChaining(): this {
    this.chainingEnabled = false;
    return this;
  }

  /** The job's name (Flink passes it to execute()); defaults to the job file's name. */
  setJobName(name: string): this {
    this.jobName = name;
    return this;
  }

  getJobName(): string | undefined {
    return this.jobName;
  }

  /**
   * The numbers from..to inclusive; a parallel source, each subtask takes a contiguous range. Every
   * source takes an optional WatermarkStrategy, applied per source subtask (Flink's fromSource).
   */
  fromSequence(from: number, to: number, strategy?: WatermarkStrategy<number>): DataStream<number> {
    return this.source('Sequence Source', () => new SequenceSource(from, to), { from, to }, false, strategy);
  }

  fromElements<T>(...elements: T[]): DataStream<T> {
    return this.fromCollection(elements);
  }

  fromCollection<T>(elements: readonly T[], strategy?: WatermarkStrategy<T>): DataStream<T> {
    const copy = [...elements];
    return this.source('Collection Source', () => new ElementsSource(copy), { count: copy.length }, true, strategy);
  }

  /** Generated records, unbounded unless `bounded` is set, at `rate` records/s if set. */
  fromGenerator<T>(spec: GeneratorSpec<T>, strategy?: WatermarkStrategy<T>): DataStream<T> {
    const config: Record<string, unknown> = {};
    if (spec.rate !== undefined) config.rate = spec.rate;
    if (spec.bounded !== undefined) config.bounded = spec.bounded;
    return this.source('Generator Source', () => new GeneratorSource(spec), config, false, strategy);
  }

  /** The lines of a text file; non-parallel. */
  readTextFile(path: string, strategy?: WatermarkStrategy<string>): DataStream<string> {
    return this.source('Text File Source', () => new TextFileSource(path), { path }, true, strategy);
  }

  /** Builds the JobGraph and collects the user functions by operator id. */
  buildJob(options: { jobName?: string; jobId?: string } = {}): BuiltJob {
    const translated = translateTransformations(this.transformations, {
      jobName: options.jobName ?? this.jobName ?? 'Flink Streaming Job',
      chainingEnabled: this.chainingEnabled,
      defaultParallelism: this.parallelism,
      ...(this.maxParallelism === undefined ? {} : { maxParallelism: this.maxParallelism }),
    });
    const { jobGraph, operatorIds } = generateJobGraph(translated.streamGraph, options.jobId === undefined ? {} : { jobId: options.jobId });
    const operators = new Map<string, OperatorFactory>();
    for (const [node, factory] of translated.factories) operators.set(operatorIds.get(node) as string, factory);
    return { jobGraph, userCode: { operators, keySelectors: translated.keySelectors, settings: this.config.toSettings() } };
  }

  /** @internal Records a transformation; used by DataStream. */
  addTransformation(spec: TransformationSpec): Transformation {
    const t = new Transformation(this.transformations.length, spec);
    this.transformations.push(t);
    return t;
  }

  /** @internal keyBy(): lives here so data-stream.ts need not import keyed-stream.ts (a cycle). */
  keyedStream<T, K>(input: DataStream<T>, keySelector: KeySelector<T, K>): KeyedStream<T, K> {
    const partition = this.addTransformation({
      kind: 'partition',
      type: Partitioner.HASH,
      inputs: [input.transformation],
      partitioner: Partitioner.HASH,
      keySelector: keySelector as KeySelector<unknown, unknown>,
    });
    return new KeyedStream(this, partition, keySelector);
  }

  /** @internal connect(): here for the same reason as keyedStream(). */
  connectedStreams<IN1, IN2>(first: DataStream<IN1>, second: DataStream<IN2>): ConnectedStreams<IN1, IN2> {
    return new ConnectedStreams(this, first, second);
  }

  private source<T>(type: string, factory: () => SourceOperator<T>, config: Record<string, unknown>, nonParallel: boolean, strategy?: WatermarkStrategy<T>): DataStream<T> {
    const withStrategy: OperatorFactory = strategy === undefined ? factory : () => new SourceWithWatermarks(factory(), strategy);
    const described = strategy === undefined ? config : { ...config, watermarkStrategy: true };
    return new DataStream<T>(this, this.addTransformation({ kind: 'source', type, inputs: [], factory: withStrategy, config: described, nonParallel }));
  }
}
