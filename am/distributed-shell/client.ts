import type { ApplicationClientProtocol, ApplicationSubmissionContextInfo } from '../../rm/protocol/client-rm.ts';
import { encodeShellCommand } from './shell-command.ts';

/** What `weft dshell` asks for (YARN's DistributedShell Client options). */
export interface DistributedShellRequest {
  readonly shellCommand: string;
  readonly numContainers: number;
  readonly containerMemory: number;
  readonly containerVcores: number;
  readonly masterMemory: number;
  readonly masterVcores: number;
  readonly appName: string;
  readonly queue?: string;
  readonly priority: number;
  readonly maxContainerRetries: number;
  /** 0 = the RM's global maximum. */
  readonly maxAppAttempts: number;
  readonly shellEnv: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
}

/** The AM container's command line; every value is a number or base64, so nothing needs quoting. */
export function distributedShellAmCommand(request: DistributedShellRequest): string {
  const args = [
    '{{WEFT_HOME}}/bin/weft-run',
    '{{WEFT_HOME}}/am/distributed-shell/main.ts',
    `--num-containers ${request.numContainers}`,
    `--container-memory ${request.containerMemory}`,
    `--container-vcores ${request.containerVcores}`,
    `--priority ${request.priority}`,
    `--max-container-retries ${request.maxContainerRetries}`,
    `--shell-command-b64 ${encodeShellCommand(request.shellCommand)}`,
    ...Object.entries(request.shellEnv).map(([k, v]) => `--shell-env ${encodeShellCommand(`${k}=${v}`)}`),
    '1><LOG_DIR>/AppMaster.stdout',
    '2><LOG_DIR>/AppMaster.stderr',
  ];
  return args.join(' ');
}

export function buildSubmissionContext(applicationId: string, request: DistributedShellRequest): ApplicationSubmissionContextInfo {
  return {
    'application-id': applicationId,
    'application-name': request.appName,
    ...(request.queue !== undefined ? { queue: request.queue } : {}),
    priority: request.priority,
    'am-container-spec': { commands: { command: distributedShellAmCommand(request) } },
    'unmanaged-AM': false,
    'max-app-attempts': request.maxAppAttempts,
    resource: { memory: request.masterMemory, vCores: request.masterVcores },
    'application-type': 'YARN',
    'keep-containers-across-application-attempts': false,
    ...(request.tags.length > 0 ? { 'application-tags': { tag: [...request.tags] } } : {}),
    'attempt-failures-validity-interval': -1,
    'cancel-tokens-when-complete': true,
  };
}

/** new-application, then submit; returns the application id. */
export async function submitDistributedShell(rm: ApplicationClientProtocol, request: DistributedShellRequest): Promise<string> {
  const created = await rm.newApplication({ params: undefined, body: undefined });
  const applicationId = created['application-id'];
  await rm.submitApplication({ params: undefined, body: buildSubmissionContext(applicationId, request) });
  return applicationId;
}
