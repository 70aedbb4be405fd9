import { Duration, EventTimeSessionWindows, ParameterTool, SlidingEventTimeWindows, TumblingEventTimeWindows, WatermarkStrategy, type StreamExecutionEnvironment, type TimeWindow } from 'weft';

/** One event: a key, its event time in ms, and a value that names it in the results. */
export interface Event {
  readonly key: string;
  readonly ts: number;
  readonly v: number;
}

/**
 * A fixed, out-of-order input. Each event is at most 2.5 s behind the largest timestamp before it,
 * under the 3 s bound of the watermark strategy, so no event is ever late, whatever the timing:
 * every run fires the same windows with the same contents.
 */
export const EVENTS: readonly Event[] = [
  { key: 'a', ts: 1000, v: 1 },
  { key: 'b', ts: 1500, v: 2 },
  { key: 'a', ts: 4000, v: 3 },
  { key: 'a', ts: 2500, v: 4 },
  { key: 'b', ts: 6000, v: 5 },
  { key: 'b', ts: 5200, v: 6 },
  { key: 'a', ts: 7000, v: 7 },
  { key: 'b', ts: 4500, v: 8 },
  { key: 'a', ts: 11000, v: 9 },
  { key: 'b', ts: 12500, v: 10 },
  { key: 'a', ts: 10000, v: 11 },
  { key: 'b', ts: 16000, v: 12 },
  { key: 'a', ts: 14000, v: 13 },
  { key: 'a', ts: 21000, v: 14 },
  { key: 'b', ts: 19000, v: 15 },
  { key: 'a', ts: 18500, v: 16 },
];

/** What each window emits: its key, its bounds and the values of its events, ascending. */
export interface WindowResult {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly values: number[];
}

/**
 * The same events through three event-time windowings, each to its own collect sink:
 * 5 s tumbling (`tumbling`), 10 s sliding by 5 s (`sliding`) and sessions with a 2 s gap
 * (`sessions`). The source is parallel: subtask i of p emits events i, i+p, ... at `--rate`
 * events/s (default 40), each subtask with its own watermarks (bounded out-of-orderness, 3 s).
 */
export default function eventTimeWindows(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  env.setJobName('EventTimeWindows');
  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Event>(Duration.ofSeconds(3)).withTimestampAssigner((e) => e.ts);
  const events = env.fromGenerator({ bounded: EVENTS.length, rate: params.getNumber('rate', 40), generate: (i) => EVENTS[i] as Event }, strategy).name('events');

  const contents = (key: string, window: TimeWindow, elements: Iterable<Event>): WindowResult => ({
    key,
    start: window.start,
    end: window.end,
    values: [...elements].map((e) => e.v).sort((x, y) => x - y),
  });
  const windowings = [
    ['tumbling', TumblingEventTimeWindows.of<Event>(Duration.ofSeconds(5))],
    ['sliding', SlidingEventTimeWindows.of<Event>(Duration.ofSeconds(10), Duration.ofSeconds(5))],
    ['sessions', EventTimeSessionWindows.withGap<Event>(Duration.ofSeconds(2))],
  ] as const;
  for (const [name, assigner] of windowings) {
    events
      .keyBy((e) => e.key)
      .window(assigner)
      .process<WindowResult>((key, ctx, elements, out) => out.collect(contents(key, ctx.window(), elements)))
      .name(name)
      .collect(name);
  }
}
