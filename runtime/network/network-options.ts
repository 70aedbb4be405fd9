import type { Clock } from '../../rm/common/clock.ts';

/**
 * Defaults mirror Flink's `taskmanager.network.*` keys so numbers in docs and dashboards mean
 * the same thing here.
 */
export const NETWORK_DEFAULTS = {
  /** `taskmanager.memory.segment-size`: one network buffer. */
  bufferSizeBytes: 32 * 1024,
  /** Total buffers per TaskManager (64 MiB of 32 KiB buffers, Flink's minimum network memory). */
  totalBuffers: 2048,
  /** `taskmanager.network.memory.buffers-per-channel`: exclusive buffers of each remote input channel. */
  buffersPerChannel: 2,
  /** `taskmanager.network.memory.floating-buffers-per-gate`: shared by the channels of one gate. */
  floatingBuffersPerGate: 8,
  /** `execution.buffer-timeout`: flush a partly filled buffer after this long; 0 = every record, < 0 = only when full. */
  bufferTimeoutMs: 100,
} as const;

export interface NetworkEnvironmentOptions {
  readonly clock?: Clock;
  readonly bufferSizeBytes?: number;
  readonly totalBuffers?: number;
  readonly buffersPerChannel?: number;
  readonly floatingBuffersPerGate?: number;
  readonly bufferTimeoutMs?: number;
  /** Interface the data port listens on (default 127.0.0.1). */
  readonly host?: string;
  /** Data port; 0 picks a free one. */
  readonly port?: number;
}
