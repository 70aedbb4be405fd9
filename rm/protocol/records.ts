import { z } from 'zod';

/**
 * Records shared by YARN's protocols (reference/yarn.md §3), as JSON. Field names follow the
 * protobuf messages in protobuf-JSON camelCase; node ids travel as `host:port` strings.
 */
export const Resource = z.object({
  memory: z.number().int(),
  vCores: z.number().int(),
});
export type Resource = z.infer<typeof Resource>;

/** ContainerExitStatus.java */
export const ContainerExitStatus = {
  SUCCESS: 0,
  INVALID: -1000,
  ABORTED: -100,
  DISKS_FAILED: -101,
  PREEMPTED: -102,
  KILLED_EXCEEDED_VMEM: -103,
  KILLED_EXCEEDED_PMEM: -104,
  KILLED_BY_APPMASTER: -105,
  KILLED_BY_RESOURCEMANAGER: -106,
  KILLED_AFTER_APP_COMPLETION: -107,
  KILLED_BY_CONTAINER_SCHEDULER: -108,
} as const;

/** Diagnostics the RM attaches to containers it completes (SchedulerUtils.java). */
export const ContainerDiagnostics = {
  RELEASED: 'Container released by application',
  LOST_NODE: 'Container released on a *lost* node',
  PREEMPTED: 'Container preempted by scheduler',
  COMPLETED_APPLICATION: 'Container of a completed application',
  EXPIRED: 'Container expired since it was unused',
  KILLED_BY_APPMASTER: 'Container killed by the ApplicationMaster.',
} as const;

export const ContainerState = z.enum(['NEW', 'RUNNING', 'COMPLETE', 'SCHEDULED']);
export type ContainerState = z.infer<typeof ContainerState>;

export const ContainerStatus = z.object({
  containerId: z.string(),
  state: ContainerState,
  exitStatus: z.number().int().default(ContainerExitStatus.INVALID),
  diagnostics: z.string().default(''),
  capability: Resource.optional(),
});
export type ContainerStatus = z.infer<typeof ContainerStatus>;

export const ResourceRequest = z.object({
  priority: z.number().int().min(0).default(0),
  allocationRequestId: z.number().int().default(0),
  /** `*` (ANY), a rack such as `/default-rack`, or a host name. */
  resourceName: z.string().default('*'),
  capability: Resource,
  numContainers: z.number().int().min(0),
  relaxLocality: z.boolean().default(true),
  nodeLabelExpression: z.string().optional(),
  executionType: z.enum(['GUARANTEED', 'OPPORTUNISTIC']).default('GUARANTEED'),
});
export type ResourceRequest = z.infer<typeof ResourceRequest>;

export const Container = z.object({
  id: z.string(),
  nodeId: z.string(),
  nodeHttpAddress: z.string(),
  resource: Resource,
  priority: z.number().int(),
  containerToken: z.string(),
  allocationRequestId: z.number().int(),
  executionType: z.enum(['GUARANTEED', 'OPPORTUNISTIC']),
  version: z.number().int(),
});
export type Container = z.infer<typeof Container>;

export const LocalResource = z.object({
  /** A URL; weft localizes `file://` resources by linking them into the container work dir. */
  resource: z.string(),
  type: z.enum(['FILE', 'ARCHIVE', 'PATTERN']).default('FILE'),
  visibility: z.enum(['PUBLIC', 'PRIVATE', 'APPLICATION']).default('APPLICATION'),
  size: z.number().int().default(-1),
  timestamp: z.number().int().default(-1),
});
export type LocalResource = z.infer<typeof LocalResource>;

/** ContainerLaunchContextProto with its maps as JSON objects. */
export const ContainerLaunchContext = z.object({
  localResources: z.record(z.string(), LocalResource).default({}),
  environment: z.record(z.string(), z.string()).default({}),
  /** Joined with spaces into one shell command line, as YARN's launch script does. */
  commands: z.array(z.string()).default([]),
  /** Credentials for the container (base64 JSON `{tokens: {alias: token}}`); the NM writes them to a file. */
  tokens: z.string().optional(),
  applicationACLs: z.record(z.string(), z.string()).default({}),
});
export type ContainerLaunchContext = z.infer<typeof ContainerLaunchContext>;

export const NodeState = z.enum(['NEW', 'RUNNING', 'UNHEALTHY', 'DECOMMISSIONED', 'LOST', 'REBOOTED', 'DECOMMISSIONING', 'SHUTDOWN']);
export type NodeState = z.infer<typeof NodeState>;

export const NodeReport = z.object({
  nodeId: z.string(),
  httpAddress: z.string(),
  rackName: z.string(),
  used: Resource,
  capability: Resource,
  numContainers: z.number().int(),
  healthReport: z.string(),
  lastHealthReportTime: z.number(),
  nodeState: NodeState,
});
export type NodeReport = z.infer<typeof NodeReport>;

export const FinalApplicationStatus = z.enum(['UNDEFINED', 'SUCCEEDED', 'FAILED', 'KILLED', 'ENDED']);
export type FinalApplicationStatus = z.infer<typeof FinalApplicationStatus>;

export const YarnApplicationState = z.enum(['NEW', 'NEW_SAVING', 'SUBMITTED', 'ACCEPTED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED']);
export type YarnApplicationState = z.infer<typeof YarnApplicationState>;

/**
 * The states an application (and an attempt) never leaves: RMAppState, RMAppAttemptState and
 * YarnApplicationState all end in these three. Takes a string because clients read the state off
 * REST answers and the RM's own machines have more states than the public enum.
 */
export const FINAL_APPLICATION_STATES: readonly YarnApplicationState[] = ['FINISHED', 'FAILED', 'KILLED'];
export const isFinalApplicationState = (state: string): boolean => (FINAL_APPLICATION_STATES as readonly string[]).includes(state);

/** A master key an RM hands to NMs so they can check the tokens it signs. */
export const MasterKey = z.object({
  keyId: z.number().int(),
  /** base64 */
  bytes: z.string(),
});
export type MasterKey = z.infer<typeof MasterKey>;
