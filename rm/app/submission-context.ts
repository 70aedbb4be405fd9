import type { ContainerLaunchContext, Resource } from '../protocol/records.ts';
import type { ApplicationSubmissionContextInfo } from '../protocol/client-rm.ts';

/** ApplicationSubmissionContext as the RM keeps it, with REST's JAXB maps turned into plain ones. */
export interface ApplicationSubmissionContext {
  readonly applicationId: string;
  readonly applicationName: string;
  /** As submitted; undefined means the default queue. */
  readonly queue: string | undefined;
  readonly priority: number;
  readonly amContainerSpec: ContainerLaunchContext;
  readonly unmanagedAM: boolean;
  readonly maxAppAttempts: number;
  /** The AM container size, before normalisation. */
  readonly resource: Resource;
  readonly applicationType: string;
  readonly keepContainersAcrossApplicationAttempts: boolean;
  readonly applicationTags: readonly string[];
  readonly attemptFailuresValidityInterval: number;
}

const entries = <V>(map: { entry?: { key: string; value: V } | { key: string; value: V }[] | undefined } | undefined) => {
  const e = map?.entry;
  return e === undefined ? [] : Array.isArray(e) ? e : [e];
};

export function fromSubmissionInfo(info: ApplicationSubmissionContextInfo): ApplicationSubmissionContext {
  const spec = info['am-container-spec'];
  const command = spec.commands?.command;
  const tags = info['application-tags']?.tag;
  return {
    applicationId: info['application-id'],
    applicationName: info['application-name'],
    queue: info.queue,
    priority: info.priority,
    amContainerSpec: {
      localResources: Object.fromEntries(entries(spec['local-resources']).map((e) => [e.key, e.value])),
      environment: Object.fromEntries(entries(spec.environment).map((e) => [e.key, e.value])),
      commands: command === undefined ? [] : Array.isArray(command) ? command : [command],
      applicationACLs: Object.fromEntries(entries(spec['application-acls']).map((e) => [e.key, e.value])),
    },
    unmanagedAM: info['unmanaged-AM'],
    maxAppAttempts: info['max-app-attempts'],
    resource: info.resource ?? { memory: 1024, vCores: 1 },
    applicationType: info['application-type'],
    keepContainersAcrossApplicationAttempts: info['keep-containers-across-application-attempts'],
    // YARN lower-cases tags on submission.
    applicationTags: (tags === undefined ? [] : Array.isArray(tags) ? tags : [tags]).map((t) => t.toLowerCase()),
    attemptFailuresValidityInterval: info['attempt-failures-validity-interval'],
  };
}
