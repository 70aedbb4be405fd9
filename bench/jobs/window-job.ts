import { Duration, ParameterTool, Time, TumblingEventTimeWindows, WatermarkStrategy, type AggregateFunction, type StreamExecutionEnvironment } from 'weft';

/**
 * The job of `npm run bench -- windows` (issue 10):
 * generator (event time, bounded out-of-orderness) -> keyBy -> 1 s tumbling event-time window
 * count -> the watermark lag of each window result -> a collect sink of the lags only.
 *
 * Event time is the wall clock when the generator makes a record, minus up to --jitter ms, so
 * event time keeps pace with processing time and a window's end is a moment on the clock: the
 * source's watermark (largest timestamp - out-of-orderness - 1, emitted every 200 ms) can first
 * pass the end e at processing time e + out-of-orderness. Each result's lag is the time from then
 * until the result reaches the sink: the wait for the next periodic watermark (up to 200 ms) plus
 * the way through the network, the window firing and the sink.
 *
 *   --records <n>           stop after n records (default 10,000,000)
 *   --keys <n>              distinct keys (default 10,000)
 *   --out-of-orderness <ms> the watermark strategy's bound (default 100)
 *   --jitter <ms>           how far behind the clock a record's timestamp may be (default 50)
 *   --collect <name>        the collect sink of the lags (default "lags")
 */
export default function windowJob(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  const records = params.getNumber('records', 10_000_000);
  const keys = params.getNumber('keys', 10_000);
  const bound = params.getNumber('out-of-orderness', 100);
  const jitter = Math.max(1, params.getNumber('jitter', 50));
  env.setJobName(params.get('name') ?? 'WindowBench');
  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Event>(Duration.ofMillis(bound)).withTimestampAssigner((e) => e.ts);
  env
    // 7919 is prime: consecutive records get timestamps spread over the jitter.
    .fromGenerator({ bounded: records, generate: (i) => ({ key: i % keys, ts: Date.now() - ((i * 7919) % jitter) }) }, strategy)
    .name('generator')
    .keyBy((e) => e.key)
    .window(TumblingEventTimeWindows.of<Event>(Time.seconds(1)))
    .aggregate<number, number, WindowCount>(COUNT, (key, ctx, counts, out) => {
      for (const count of counts) out.collect({ key, end: ctx.window().end, count });
    })
    .name('1 s window count')
    // The windows still open when the input ends fire at once (the final watermark): they have
    // no lag to measure, so only results at or after their due time count.
    .flatMap<number>((w, out) => {
      const lag = Date.now() - (w.end + bound);
      if (lag >= 0) out.collect(lag);
    })
    .name('watermark lag')
    .collect(params.get('collect') ?? 'lags');
}

interface Event {
  readonly key: number;
  /** Event time, ms since the epoch. */
  readonly ts: number;
}

interface WindowCount {
  readonly key: number;
  readonly end: number;
  readonly count: number;
}

const COUNT: AggregateFunction<Event, number, number> = {
  createAccumulator: () => 0,
  add: (_event, acc) => acc + 1,
  getResult: (acc) => acc,
  merge: (a, b) => a + b,
};
