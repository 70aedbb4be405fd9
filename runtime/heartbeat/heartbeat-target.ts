/**
 * The other end of a heartbeat pair as the monitoring side reaches it (Flink's HeartbeatTarget):
 * one heartbeat request carrying this side's payload, answered with the target's. Over HTTP the
 * answer is the response body, so one round trip is both Flink's requestHeartbeat and the
 * target's receiveHeartbeat.
 */
export interface HeartbeatTarget<I, O> {
  /** Sends `payload` to the target; resolves with its answer, rejects when the RPC failed. */
  requestHeartbeat(payload: O): Promise<I>;
}
