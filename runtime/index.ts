/**
 * weft's job API: what a job file imports as `import { ... } from 'weft'`.
 */
export { StreamExecutionEnvironment, type BuiltJob, type EnvironmentOptions } from './api/stream-execution-environment.ts';
export { DataStream } from './api/data-stream.ts';
export { KeyedStream } from './api/keyed-stream.ts';
export { DataStreamSink } from './api/data-stream-sink.ts';
export { ParameterTool } from './api/parameter-tool.ts';
export { loadJob, type JobMain, type LoadedJob, type LoadJobOptions } from './api/job-loader.ts';
export { JobFileError } from './api/job-file-error.ts';
export type { AggregationField } from './api/aggregation.ts';
export type {
  FilterFunction,
  FlatMapFunction,
  KeyedProcessContext,
  KeyedProcessFunction,
  KeySelector,
  MapFunction,
  ProcessContext,
  ProcessFunction,
  ReduceFunction,
} from './streaming/functions.ts';
export type { Collector } from './streaming/output.ts';
export type { ValueState } from './streaming/keyed-value-state.ts';
export type { GeneratorSpec } from './streaming/sources/generator-source.ts';
export { CollectRegistry, type CollectOutput } from './streaming/collect-output.ts';
export { LocalExecutor, type LocalExecutorOptions, type LocalJobHandle, type LocalJobResult } from './streaming/local/local-executor.ts';
export type { JobGraph, JobVertex, JobEdge } from './jobgraph/job-graph.ts';
