import type { FlinkConfiguration } from '../config/flink-configuration.ts';

/**
 * The heartbeat settings every heartbeat manager of a process shares (Flink's HeartbeatServices):
 * `heartbeat.interval`, `heartbeat.timeout` and `heartbeat.rpc-failure-threshold` (flink.md §1.5).
 */
export interface HeartbeatServices {
  /** How often each monitored target is sent a heartbeat request. */
  readonly intervalMs: number;
  /** A target not heard from for this long is declared dead. */
  readonly timeoutMs: number;
  /** Consecutive failed heartbeat RPCs that make a target unreachable; <= 0 disables the check. */
  readonly rpcFailureThreshold: number;
}

export function heartbeatServicesFromConfiguration(config: FlinkConfiguration): HeartbeatServices {
  return {
    intervalMs: config['heartbeat.interval'],
    timeoutMs: config['heartbeat.timeout'],
    rpcFailureThreshold: config['heartbeat.rpc-failure-threshold'],
  };
}
