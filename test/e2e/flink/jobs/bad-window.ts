import { EventTimeSessionWindows, ParameterTool, SlidingEventTimeWindows, TumblingEventTimeWindows, WatermarkStrategy, type StreamExecutionEnvironment } from 'weft';

/** One invalid window parameter per `--case`; the job must be refused while it is built. */
export const CASES = {
  'size 0': () => TumblingEventTimeWindows.of<number>(0),
  'slide 0': () => SlidingEventTimeWindows.of<number>(10_000, 0),
  'offset = size': () => TumblingEventTimeWindows.of<number>(5000, 5000),
  'offset = -size': () => TumblingEventTimeWindows.of<number>(5000, -5000),
  'session gap 0': () => EventTimeSessionWindows.withGap<number>(0),
} as const;

export default function badWindow(env: StreamExecutionEnvironment, args: string[]): void {
  const which = ParameterTool.fromArgs(args).get('case', 'size 0');
  env.setJobName(`BadWindow (${which})`);
  const numbers = env.fromSequence(1, 10, WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((n) => n * 1000)).name('numbers');
  const keyed = numbers.keyBy((n) => n % 2);
  const windowed =
    which === 'negative lateness'
      ? keyed.window(TumblingEventTimeWindows.of<number>(5000)).allowedLateness(-1)
      : keyed.window((CASES[which as keyof typeof CASES] ?? CASES['size 0'])());
  windowed.reduce((a, b) => a + b).name('sums').print();
}
