import { Duration, ParameterTool, ProcessJoinFunction, Time, WatermarkStrategy, type Collector, type ProcessJoinFunctionContext, type StreamExecutionEnvironment } from 'weft';

/**
 * Clicks joined with the impressions that led to them (an interval join): a click counts for an
 * impression of the same ad shown to the same user at most 10 s before it. Each side is keyed by
 * user and ad; `between(0, 10 s)` is relative to the impression, so a click at time c meets the
 * impressions in [c - 10 s, c]. Both streams arrive up to 2 s out of order; the join buffers each
 * side in keyed state and drops an element once the watermark says no partner can still come.
 * A click too long after its impression (u3, 12 s) or without one (u4) joins nothing.
 *   --collect <name>  deliver the joined pairs to the collect sink <name> instead of printing them
 */
export default function adClickJoin(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  env.setJobName('AdClickJoin');

  const impressions = env
    .fromCollection(IMPRESSIONS, WatermarkStrategy.forBoundedOutOfOrderness<AdEvent>(Duration.ofSeconds(2)).withTimestampAssigner((e) => e.ts))
    .name('impressions')
    .keyBy(userAndAd);
  const clicks = env
    .fromCollection(CLICKS, WatermarkStrategy.forBoundedOutOfOrderness<AdEvent>(Duration.ofSeconds(2)).withTimestampAssigner((e) => e.ts))
    .name('clicks')
    .keyBy(userAndAd);

  const attributed = impressions
    .intervalJoin(clicks)
    .between(Time.seconds(0), Time.seconds(10))
    .process(new AttributeClick())
    .name('attribute clicks');

  const collect = params.get('collect');
  if (collect !== undefined) attributed.collect(collect);
  else attributed.map(formatAttribution).name('format').print();
}

export interface AdEvent {
  readonly user: string;
  readonly ad: string;
  /** Event time, ms since the epoch. */
  readonly ts: number;
}

/** A click and the impression it is attributed to. */
export interface Attribution {
  readonly user: string;
  readonly ad: string;
  readonly impressionTs: number;
  readonly clickTs: number;
  /** The pair's timestamp, max(impression, click): the click's. */
  readonly ts: number;
}

const userAndAd = (e: AdEvent): string => `${e.user}|${e.ad}`;

class AttributeClick extends ProcessJoinFunction<AdEvent, AdEvent, Attribution> {
  processElement(impression: AdEvent, click: AdEvent, ctx: ProcessJoinFunctionContext, out: Collector<Attribution>): void {
    out.collect({ user: click.user, ad: click.ad, impressionTs: impression.ts, clickTs: click.ts, ts: ctx.getTimestamp() });
  }
}

const T0 = Date.UTC(2026, 11, 6, 8, 0, 0);
const at = (seconds: number): number => T0 + seconds * 1000;
const event = (user: string, ad: string, seconds: number): AdEvent => ({ user, ad, ts: at(seconds) });

/** In arrival order: the 2.5 s click comes after the 4 s one. */
export const IMPRESSIONS: readonly AdEvent[] = [
  event('u1', 'ad-1', 1),
  event('u2', 'ad-1', 2),
  event('u1', 'ad-2', 3),
  event('u3', 'ad-3', 5),
  event('u2', 'ad-2', 8),
  event('u1', 'ad-1', 15),
  event('u3', 'ad-1', 20),
];

export const CLICKS: readonly AdEvent[] = [
  event('u1', 'ad-1', 4),
  event('u2', 'ad-1', 2.5),
  event('u2', 'ad-2', 9.5),
  event('u3', 'ad-3', 17),
  event('u1', 'ad-1', 18),
  event('u4', 'ad-3', 21),
];

const clock = (ts: number): string => new Date(ts).toISOString().slice(11, 21);

export function formatAttribution(a: Attribution): string {
  return `${a.user} ${a.ad}  impression ${clock(a.impressionTs)} -> click ${clock(a.clickTs)}  after ${((a.clickTs - a.impressionTs) / 1000).toFixed(1)} s`;
}
