import { TumblingEventTimeWindows, Time, WatermarkStrategy, type StreamExecutionEnvironment } from 'weft';
import { CLICKS, IMPRESSIONS, type AdEvent } from '../../../../examples/ad-click-join.ts';

/**
 * The ad-click example's impressions and clicks as a window join: pairs of the same user and ad
 * in the same 10 s tumbling window, each stamped with its window's last millisecond. Results go to
 * the collect sink `pairs` as `user ad impression-s -> click-s @ window-end-s`.
 */
export default function adWindowJoin(env: StreamExecutionEnvironment): void {
  env.setJobName('AdWindowJoin');
  const strategy = () => WatermarkStrategy.forMonotonousTimestamps<AdEvent>().withTimestampAssigner((e) => e.ts);
  const key = (e: AdEvent): string => `${e.user}|${e.ad}`;
  const t0 = Date.UTC(2026, 11, 6, 8, 0, 0);
  const s = (ts: number): number => (ts - t0) / 1000;
  env
    .fromCollection(IMPRESSIONS, strategy())
    .name('impressions')
    .join(env.fromCollection(CLICKS, strategy()).name('clicks'))
    .where(key)
    .equalTo(key)
    .window(TumblingEventTimeWindows.of(Time.seconds(10)))
    .apply((imp, click) => `${imp.user} ${imp.ad} ${s(imp.ts)} -> ${s(click.ts)}`)
    .process<string>((pair, ctx) => ctx.collect(`${pair} @ ${s((ctx.timestamp ?? 0) + 1)}`))
    .name('stamp')
    .collect('pairs');
}
