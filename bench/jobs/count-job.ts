import { ParameterTool, type StreamExecutionEnvironment } from 'weft';

/**
 * The job of `npm run bench -- deploy` and `npm run bench -- throughput`:
 * generator -> map -> keyBy -> sum (a running count per key) -> a sink that does not limit speed.
 *
 *   --rate <n>      records per second for the whole source; unlimited if not given
 *   --records <n>   stop after n records; unbounded if not given
 *   --keys <n>      distinct keys (default 16)
 *   --collect <name>  collect only each key's final count (needs --records divisible by --keys,
 *                   so that every key ends at records/keys); without it every count is dropped
 *
 * The running count emits one record per input record; the sink keeps none of them (filter, then
 * print nothing), or only the last count per key, so the sink is never the bottleneck and the
 * JobManager does not accumulate results.
 */
export default function countJob(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  const keys = params.getNumber('keys', 16);
  const rate = params.getNumber('rate');
  const records = params.getNumber('records');
  env.setJobName(params.get('name') ?? 'BenchCount');
  const counts = env
    .fromGenerator({ ...(rate === undefined ? {} : { rate }), ...(records === undefined ? {} : { bounded: records }), generate: (i) => i })
    .name('generator')
    .map((i) => ({ key: i % keys, count: 1 }))
    .name('to-event')
    .keyBy((e) => e.key)
    .sum('count')
    .name('running-count');
  const collect = params.get('collect');
  if (collect !== undefined) {
    if (records === undefined || records % keys !== 0) throw new Error('--collect needs --records divisible by --keys');
    const last = records / keys;
    counts
      .filter((c) => c.count === last)
      .name('final-count')
      .collect(collect);
  } else {
    counts
      .filter(() => false)
      .name('discard')
      .print();
  }
}
