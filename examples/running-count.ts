import { ParameterTool, type StreamExecutionEnvironment } from 'weft';

/**
 * An unbounded generator of events for a handful of users, with a keyed running count per user.
 *   --rate <n>        events per second for the whole source (default 10)
 *   --bounded <n>     stop after n events (for tests); unbounded by default
 *   --users <n>       number of distinct users (default 5)
 *   --collect <name>  deliver counts to a collect sink instead of printing them
 */
export default function runningCount(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  const users = params.getNumber('users', 5);
  const bounded = params.getNumber('bounded');
  const rate = params.has('bounded') && !params.has('rate') ? undefined : params.getNumber('rate', 10);
  env.setJobName('RunningCount');

  const counts = env
    .fromGenerator({
      ...(rate === undefined ? {} : { rate }),
      ...(bounded === undefined ? {} : { bounded }),
      generate: (i) => ({ user: `user-${i % users}`, seq: i }),
    })
    .name('events')
    .uid('events')
    .keyBy((event) => event.user)
    .process<{ user: string; count: number }, number>((event, ctx) => {
      const count = (ctx.state.value() ?? 0) + 1;
      ctx.state.update(count);
      ctx.collect({ user: ctx.key, count });
    })
    .name('running-count')
    .uid('running-count');

  const collect = params.get('collect');
  if (collect !== undefined) counts.collect(collect);
  else counts.print();
}
