import { NodeState } from '../../rm/protocol/records.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { formatNodeList } from './format.ts';

export interface NodeListOptions {
  readonly all?: boolean;
  readonly states?: string;
}

/** `weft node list` = `yarn node -list`: RUNNING nodes unless `--all` or `--states`. */
export async function nodeList(ctx: CliContext, options: NodeListOptions): Promise<number> {
  let states: string[];
  if (options.all) states = [...NodeState.options];
  else if (options.states !== undefined) {
    states = options.states.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    for (const s of states) {
      if (!(NodeState.options as readonly string[]).includes(s)) throw new CliError(`invalid node state '${s}'; valid states are ${NodeState.options.join(', ')}`);
    }
  } else states = ['RUNNING'];
  const response = await ctx.rm.nodes({ params: undefined, body: undefined, query: { states: states.join(',') } });
  const nodes = (response.nodes?.node ?? []).filter((n) => states.includes(n.state));
  if (ctx.json) printJson(ctx, nodes);
  else ctx.out(formatNodeList(nodes));
  return 0;
}
