import { killApplication, type KillOptions } from '../../am/yarn-client.ts';
import { isFinalApplicationState } from '../../rm/protocol/records.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { checkApplicationId } from './app-status.ts';

export type AppKillOptions = KillOptions;

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
  const state = await killApplication(ctx.rm, ctx.clock, appId, options);
  if (ctx.json) printJson(ctx, { applicationId: appId, state, killed: state === 'KILLED' });
  return 0;
}
