import { ParameterTool, type StreamExecutionEnvironment } from 'weft';

/**
 * Two inputs in one stream: even numbers from a sequence and a few words' lengths, unioned, tagged
 * and summed per parity.
 *   --to <n>          the sequence runs 0..n (default 20)
 *   --collect <name>  deliver results to a collect sink instead of printing them
 */
export default function union(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  const to = params.getNumber('to', 20);
  env.setJobName('Union');

  const evens = env.fromSequence(0, to).name('numbers').filter((n) => n % 2 === 0);
  const lengths = env.fromElements('alpha', 'beta', 'gamma', 'delta', 'epsilon').name('words').map((w) => w.length);

  const sums = evens
    .union(lengths)
    .map((n) => ({ parity: n % 2 === 0 ? 'even' : 'odd', value: n }))
    .name('tag')
    .keyBy((r) => r.parity)
    .sum('value')
    .name('sum per parity');

  const collect = params.get('collect');
  if (collect !== undefined) sums.collect(collect);
  else sums.print();
}
