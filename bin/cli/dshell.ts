import { submitDistributedShell, type DistributedShellRequest } from '../../am/distributed-shell/client.ts';
import { waitForFinalState } from '../../am/yarn-client.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';

export interface DshellOptions {
  readonly numContainers: string;
  readonly containerMemory: string;
  readonly containerVcores: string;
  readonly masterMemory: string;
  readonly masterVcores: string;
  readonly queue?: string;
  readonly appname: string;
  readonly priority: string;
  readonly maxContainerRetries: string;
  readonly maxAppAttempts: string;
  readonly shellEnv: readonly string[];
  readonly tags?: string;
  readonly detached?: boolean;
}

function int(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new CliError(`option '--${name}' must be an integer >= ${min}, got '${raw}'`);
  return n;
}

export function buildDshellRequest(command: readonly string[], o: DshellOptions): DistributedShellRequest {
  if (command.length === 0) throw new CliError('no shell command given; usage: weft dshell --num-containers N -- <command...>');
  const shellEnv: Record<string, string> = {};
  for (const kv of o.shellEnv) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new CliError(`option '--shell-env' expects KEY=VALUE, got '${kv}'`);
    shellEnv[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return {
    // One argument is taken as a shell line (`-- 'echo $HOSTNAME'`); several are joined with spaces, as YARN's DS does with -shell_command.
    shellCommand: command.join(' '),
    numContainers: int('num-containers', o.numContainers, 1),
    containerMemory: int('container-memory', o.containerMemory, 1),
    containerVcores: int('container-vcores', o.containerVcores, 1),
    masterMemory: int('master-memory', o.masterMemory, 1),
    masterVcores: int('master-vcores', o.masterVcores, 1),
    appName: o.appname,
    ...(o.queue !== undefined ? { queue: o.queue } : {}),
    priority: int('priority', o.priority, 0),
    maxContainerRetries: int('max-container-retries', o.maxContainerRetries, 0),
    maxAppAttempts: int('max-app-attempts', o.maxAppAttempts, 0),
    shellEnv,
    tags: (o.tags ?? '').split(',').map((t) => t.trim()).filter(Boolean),
  };
}

/** `weft dshell ... -- <command>`: YARN's DistributedShell client. Exit 0 only on SUCCEEDED. */
export async function dshell(ctx: CliContext, command: readonly string[], options: DshellOptions): Promise<number> {
  const request = buildDshellRequest(command, options);
  const appId = await submitDistributedShell(ctx.rm, request);
  if (options.detached) {
    if (ctx.json) printJson(ctx, { applicationId: appId });
    else ctx.out(`${appId}\n`);
    return 0;
  }
  if (!ctx.json) ctx.out(`Submitted application ${appId}\n`);
  const app = await waitForFinalState(ctx.rm, appId, ctx.clock, {
    onStateChange: (a) => {
      if (!ctx.json) ctx.err(`Application ${a.id} is ${a.state}\n`);
    },
  });
  if (ctx.json) printJson(ctx, app);
  else {
    ctx.out(`Application ${app.id} finished with state ${app.state} and final status ${app.finalStatus}\n`);
    if (app.diagnostics) ctx.out(`Diagnostics: ${app.diagnostics}\n`);
  }
  return app.finalStatus === 'SUCCEEDED' ? 0 : 1;
}
