import { parseApplicationId } from '../../rm/protocol/ids.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { formatApplicationReport } from './format.ts';

export function checkApplicationId(appId: string): void {
  if (!parseApplicationId(appId)) throw new CliError(`invalid application id '${appId}' (expected application_<clusterTimestamp>_<sequence>)`);
}

/** `weft app status <appId>` = `yarn application -status`. */
export async function appStatus(ctx: CliContext, appId: string): Promise<number> {
  checkApplicationId(appId);
  const { app } = await ctx.rm.app({ params: { appid: appId }, body: undefined });
  if (ctx.json) printJson(ctx, app);
  else ctx.out(formatApplicationReport(app));
  return 0;
}
