import { TumblingEventTimeWindows, type StreamExecutionEnvironment } from 'weft';

/** An event-time window over a source without a WatermarkStrategy: its records carry no timestamp. */
export default function noTimestamps(env: StreamExecutionEnvironment): void {
  env.setJobName('NoTimestamps');
  env
    .fromSequence(1, 10)
    .name('numbers')
    .keyBy((n) => n % 2)
    .window(TumblingEventTimeWindows.of<number>(1000))
    .reduce((a, b) => a + b)
    .name('sums')
    .print();
}
