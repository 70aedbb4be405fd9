/**
 * Records between subtasks (Flink's network stack, reduced). A TaskManager owns one
 * {@link NetworkEnvironment}; a task writes through a ResultPartition and reads through an InputGate:
 *
 *   const out = env.createResultPartition({ id, numSubpartitions, counters: metrics.counters });
 *   if (!out.emitRecord(record, partitioner(record))) await metrics.waitForOutput(out.availability());
 *   ...
 *   out.finish();
 *
 *   const gate = env.createInputGate({ channels, counters: metrics.counters });
 *   gate.requestPartitions();
 *   for (;;) {
 *     const status = gate.emitNext(handler);            // sync: decodes and calls handler.processRecord
 *     if (status === InputStatus.END_OF_INPUT) break;
 *     if (status === InputStatus.NOTHING_AVAILABLE) await metrics.waitForInput(gate.availability());
 *   }
 *   gate.close();
 */
export { AVAILABLE } from './availability-notifier.ts';
export { ConnectionManager, parseAddress } from './connection-manager.ts';
export { DataInputView } from './data-input-view.ts';
export { DataOutputView } from './data-output-view.ts';
export { InputGate, InputStatus, type IndexedInputGate, type StreamElementHandler } from './input-gate.ts';
export { LocalInputChannel, type InputChannel } from './input-channel.ts';
export { IOCounters } from './io-counters.ts';
export { LocalBufferPool } from './local-buffer-pool.ts';
export { NetworkBuffer } from './network-buffer.ts';
export { InsufficientNetworkBuffersError, NetworkBufferPool } from './network-buffer-pool.ts';
export { NetworkEnvironment, type InputChannelSpec, type InputGateSpec, type ResultPartitionSpec } from './network-environment.ts';
export { NETWORK_DEFAULTS, type NetworkEnvironmentOptions } from './network-options.ts';
export { JsonRecordSerializer, ValueSerializer, ValueTag, type RecordSerializer } from './record-serializer.ts';
export { RemoteInputChannel } from './remote-input-channel.ts';
export { ResultPartition } from './result-partition.ts';
export type { ResultPartitionWriter } from './result-partition-writer.ts';
export { ResultSubpartition } from './result-subpartition.ts';
export * from './channel-element.ts';
export { METRICS_UPDATE_INTERVAL_MS, TaskIOMetrics, type TaskIOMetricsSnapshot } from './task-io-metrics.ts';
export { TimerGauge } from './timer-gauge.ts';
