import { ParameterTool, type StreamExecutionEnvironment } from 'weft';

/**
 * A bounded generator, slow enough to be interrupted: `--events n` events at `--rate r` per
 * second for 4 keys, a running sum per key written to `--output` (or collected into `--collect`).
 */
export default function slowCount(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  env.setJobName(params.get('name') ?? 'SlowCount');
  const counts = env
    .fromGenerator({ bounded: params.getNumber('events', 40), rate: params.getNumber('rate', 10), generate: (i) => ({ key: `k${i % 4}`, count: 1 }) })
    .name('events')
    .keyBy((e) => e.key)
    .sum('count')
    .name('count per key');
  const output = params.get('output');
  if (output !== undefined) counts.writeAsText(output).name('file-sink');
  const collect = params.get('collect');
  if (collect !== undefined) counts.collect(collect);
  if (output === undefined && collect === undefined) counts.print();
}
