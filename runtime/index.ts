/**
 * weft's job API: what a job file imports as `import { ... } from 'weft'`.
 */
export { StreamExecutionEnvironment, type BuiltJob, type EnvironmentOptions } from './api/stream-execution-environment.ts';
export { DataStream } from './api/data-stream.ts';
export { KeyedStream } from './api/keyed-stream.ts';
export { ConnectedStreams } from './api/connected-streams.ts';
export type { CoFlatMapFunction, CoMapFunction } from './api/functions/co-map-function.ts';
export { RichCoFlatMapFunction, RichCoMapFunction } from './api/functions/rich-co-functions.ts';
export { CoProcessFunction, type CoProcessFunctionObject } from './api/functions/co-process-function.ts';
export { KeyedCoProcessFunction, type KeyedCoProcessFunctionObject } from './api/functions/keyed-co-process-function.ts';
export { ProcessJoinFunction, type ProcessJoinFunctionContext, type ProcessJoinFunctionObject } from './api/functions/process-join-function.ts';
export { IntervalJoin, IntervalJoined } from './api/interval-join.ts';
export { JoinedStreams } from './api/joined-streams.ts';
export { CoGroupedStreams } from './api/co-grouped-streams.ts';
export type { CoGroupFunction, JoinFunction } from './api/functions/join-functions.ts';
export type { TaggedUnion } from './streaming/windowing/co-group-window-function.ts';
export { DataStreamSink } from './api/data-stream-sink.ts';
export { ParameterTool } from './api/parameter-tool.ts';
export { loadJob, type JobMain, type LoadedJob, type LoadJobOptions } from './api/job-loader.ts';
export { JobFileError } from './api/job-file-error.ts';
export type { AggregationField } from './api/aggregation.ts';
export type {
  FilterFunction,
  FlatMapFunction,
  KeyedProcessContext,
  KeyedProcessFn,
  KeySelector,
  MapFunction,
  ProcessContext,
  ProcessFn,
  ReduceFunction,
} from './streaming/functions.ts';
export { ProcessFunction, type ProcessFunctionContext, type ProcessFunctionOnTimerContext } from './api/functions/process-function.ts';
export { KeyedProcessFunction, type KeyedProcessFunctionContext, type KeyedProcessFunctionOnTimerContext } from './api/functions/keyed-process-function.ts';
export { AbstractRichFunction, type OpenContext, type RichFunction } from './api/functions/rich-function.ts';
export { RichFilterFunction, RichFlatMapFunction, RichMapFunction } from './api/functions/rich-functions.ts';
export type { RuntimeContext } from './api/functions/runtime-context.ts';
export { TimeDomain } from './streaming/time/time-domain.ts';
export type { TimerService } from './streaming/time/timer-service.ts';
export { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from './state/state-descriptor.ts';
export type { AggregatingState, ListState, MapState, ReducingState } from './state/keyed-state.ts';
export type { Collector } from './streaming/output.ts';
export type { ValueState } from './streaming/keyed-value-state.ts';
export type { GeneratorSpec } from './streaming/sources/generator-source.ts';
export { CollectRegistry, type CollectOutput } from './streaming/collect-output.ts';
export { LocalExecutor, type LocalExecutorOptions, type LocalJobHandle, type LocalJobResult } from './streaming/local/local-executor.ts';
export type { JobGraph, JobVertex, JobEdge } from './jobgraph/job-graph.ts';

// Event time: watermark strategies and side outputs.
export { WatermarkStrategy, type WatermarkGeneratorSupplier } from './api/eventtime/watermark-strategy.ts';
export { Watermark, type TimestampAssigner, type WatermarkGenerator, type WatermarkGeneratorContext, type WatermarkOutput } from './api/eventtime/watermark.ts';
export { OutputTag } from './api/output-tag.ts';
export { ExecutionConfig } from './api/execution-config.ts';

// Windows (Flink's org.apache.flink.streaming.api.windowing): assigners, triggers, evictors, functions.
export { WindowedStream } from './api/windowed-stream.ts';
export { AllWindowedStream } from './api/all-windowed-stream.ts';
export { Time, Duration, type TimeSpan, type TimeUnit } from './streaming/windowing/time.ts';
export type { Window } from './streaming/windowing/window.ts';
export { TimeWindow } from './streaming/windowing/time-window.ts';
export { GlobalWindow } from './streaming/windowing/global-window.ts';
export { WindowAssigner, MergingWindowAssigner, type WindowAssignerContext } from './streaming/windowing/assigners/window-assigner.ts';
export { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from './streaming/windowing/assigners/tumbling-windows.ts';
export { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from './streaming/windowing/assigners/sliding-windows.ts';
export { EventTimeSessionWindows, ProcessingTimeSessionWindows, type SessionWindowTimeGapExtractor } from './streaming/windowing/assigners/session-windows.ts';
export { GlobalWindows } from './streaming/windowing/assigners/global-windows.ts';
export { Trigger, type TriggerContext, type OnMergeContext } from './streaming/windowing/triggers/trigger.ts';
export { TriggerResult } from './streaming/windowing/triggers/trigger-result.ts';
export { EventTimeTrigger } from './streaming/windowing/triggers/event-time-trigger.ts';
export { ProcessingTimeTrigger } from './streaming/windowing/triggers/processing-time-trigger.ts';
export { CountTrigger } from './streaming/windowing/triggers/count-trigger.ts';
export { PurgingTrigger } from './streaming/windowing/triggers/purging-trigger.ts';
export { ContinuousEventTimeTrigger } from './streaming/windowing/triggers/continuous-event-time-trigger.ts';
export type { Evictor, EvictorContext, TimestampedValue } from './streaming/windowing/evictors/evictor.ts';
export { CountEvictor } from './streaming/windowing/evictors/count-evictor.ts';
export { TimeEvictor } from './streaming/windowing/evictors/time-evictor.ts';
export type { AggregateFunction, KeyedStateStore, ProcessAllWindowFunction, ProcessWindowContext, ProcessWindowFunction } from './streaming/windowing/window-functions.ts';
