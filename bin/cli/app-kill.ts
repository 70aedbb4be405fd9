import { isFinalApplicationState } from '../../rm/protocol/records.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { checkApplicationId } from './app-status.ts';

export interface AppKillOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * `weft app kill <appId>` = `yarn application -kill`: PUT state KILLED and repeat until the RM
 * answers 200 KILLED (it answers 202 with the current state while the kill is in progress).
 */
export async function appKill(ctx: CliContext, appId: string, options: AppKillOptions = {}): Promise<number> {
  checkApplicationId(appId);
  const { app } = await ctx.rm.app({ params: { appid: appId }, body: undefined });
  if (isFinalApplicationState(app.state)) {
    if (ctx.json) printJson(ctx, { applicationId: appId, state: app.state, killed: false });
    // Trailing space as ApplicationCLI prints it.
    else ctx.out(`Application ${appId} has already finished \n`);
    return 0;
  }
  if (!ctx.json) ctx.out(`Killing application ${appId}\n`);
  const deadline = ctx.clock.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const { state } = await ctx.rm.updateAppState({ params: { appid: appId }, body: { state: 'KILLED' } });
    if (isFinalApplicationState(state)) {
      if (ctx.json) printJson(ctx, { applicationId: appId, state, killed: state === 'KILLED' });
      return 0;
    }
    if (ctx.clock.now() >= deadline) throw new CliError(`application ${appId} is still ${state} after asking to kill it`);
    await new Promise<void>((resolve) => ctx.clock.schedule(options.intervalMs ?? 200, resolve));
  }
}
