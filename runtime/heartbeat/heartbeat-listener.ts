/**
 * What a heartbeat manager tells its owner (Flink's HeartbeatListener). `I` is the payload the
 * targets send (a slot report, task execution states), `O` the one this side sends them.
 */
export interface HeartbeatListener<I, O> {
  /** No heartbeat from the target for `heartbeat.timeout`; the target is no longer monitored. */
  notifyHeartbeatTimeout(resourceId: string): void;
  /** `heartbeat.rpc-failure-threshold` heartbeat RPCs in a row failed; the target is no longer monitored. */
  notifyTargetUnreachable(resourceId: string): void;
  /** A heartbeat from the target arrived, or the answer to one this side sent. */
  reportPayload(resourceId: string, payload: I): void;
  /** This side's payload for a heartbeat to (or the answer to a heartbeat request of) the target. */
  retrievePayload(resourceId: string): O;
}

/** Flink's wording for a lost target, used by every listener whose target is a TaskManager. */
export const heartbeatTimeoutCause = (component: string, resourceId: string): string => `The heartbeat of ${component} with id ${resourceId} timed out.`;
export const targetUnreachableCause = (component: string, resourceId: string): string => `${component} with id ${resourceId} is no longer reachable.`;
