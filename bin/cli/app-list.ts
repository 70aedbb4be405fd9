import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { ALL_APP_STATES, DEFAULT_APP_STATES, formatApplicationList } from './format.ts';

export interface AppListOptions {
  /** Comma list of states or ALL; SUBMITTED,ACCEPTED,RUNNING by default, as `yarn application -list`. */
  readonly states?: string;
  readonly queue?: string;
  readonly types?: string;
}

export function parseAppStates(states: string | undefined): string[] {
  if (states === undefined) return [...DEFAULT_APP_STATES];
  const wanted = states.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (wanted.includes('ALL')) return [...ALL_APP_STATES];
  for (const s of wanted) {
    if (!(ALL_APP_STATES as readonly string[]).includes(s)) throw new CliError(`invalid application state '${s}'; valid states are ${ALL_APP_STATES.join(', ')} or ALL`);
  }
  return ALL_APP_STATES.filter((s) => wanted.includes(s));
}

/** `weft app list` = `yarn application -list`. */
export async function appList(ctx: CliContext, options: AppListOptions): Promise<number> {
  const states = parseAppStates(options.states);
  const types = (options.types ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const response = await ctx.rm.apps({
    params: undefined,
    body: undefined,
    query: {
      states: states.join(','),
      ...(options.queue !== undefined ? { queue: options.queue } : {}),
      ...(types.length > 0 ? { applicationTypes: types.join(',') } : {}),
    },
  });
  const apps = (response.apps?.app ?? []).filter((a) => states.includes(a.state) && (options.queue === undefined || a.queue === options.queue));
  if (ctx.json) printJson(ctx, apps);
  else ctx.out(formatApplicationList(apps, states, types));
  return 0;
}
