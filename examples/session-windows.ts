import { Duration, EventTimeSessionWindows, ParameterTool, Time, WatermarkStrategy, type StreamExecutionEnvironment } from 'weft';

/**
 * User sessions from a click stream: a session per user is a run of activity with no gap of
 * 30 s or more (EventTimeSessionWindows.withGap). Session windows merge: each event opens
 * [t, t + 30 s), and windows that overlap become one, so an event that arrives late (here up to
 * 25 s behind, as mobile clients buffer) can join two sessions into one. The watermark trails the
 * largest timestamp by 30 s, so no event is late and every session is complete when it is printed.
 *   --rate <n>        events per second (default 20)
 *   --collect <name>  deliver sessions to the collect sink <name> instead of printing them
 */
export default function sessionWindows(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  env.setJobName('SessionWindows');

  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Activity>(Duration.ofSeconds(30)).withTimestampAssigner((a) => a.ts);
  const sessions = env
    .fromGenerator({ bounded: ACTIVITY.length, rate: params.getNumber('rate', 20), generate: (i) => ACTIVITY[i] as Activity }, strategy)
    .setParallelism(1)
    .name('click stream')
    .keyBy((a) => a.user)
    .window(EventTimeSessionWindows.withGap<Activity>(Time.seconds(30)))
    .process<Session>((user, ctx, events, out) => {
      const sorted = [...events].sort((x, y) => x.ts - y.ts);
      const w = ctx.window();
      out.collect({ user, start: w.start, end: w.end, lastEvent: sorted.at(-1)!.ts, actions: sorted.map((e) => e.action) });
    })
    .name('sessions');

  const collect = params.get('collect');
  if (collect !== undefined) sessions.collect(collect);
  else sessions.map(formatSession).name('format').print();
}

export interface Activity {
  readonly user: string;
  /** Event time, ms since the epoch. */
  readonly ts: number;
  readonly action: 'view' | 'click' | 'cart' | 'buy';
}

/** A session: its window [start, end) ends one gap after the last event. */
export interface Session {
  readonly user: string;
  readonly start: number;
  readonly end: number;
  readonly lastEvent: number;
  readonly actions: string[];
}

/** 08:00:00 UTC on the day of the bundled click stream. */
export const BASE = Date.UTC(2026, 11, 6, 8, 0, 0);

const clock = (ts: number): string => new Date(ts).toISOString().slice(11, 19);

const formatSession = (s: Session): string =>
  `${s.user.padEnd(5)}  ${clock(s.start)} - ${clock(s.lastEvent)}  ${(s.lastEvent - s.start) / 1000} s  ${s.actions.length} event${s.actions.length === 1 ? '' : 's'}: ${s.actions.join(' ')}`;

const at = (user: string, seconds: number, action: Activity['action']): Activity => ({ user, ts: BASE + seconds * 1000, action });

/** The click stream in the order it reaches the job (seconds after 08:00:00). */
export const ACTIVITY: readonly Activity[] = [
  at('alice', 5, 'view'),
  at('bob', 8, 'view'),
  at('alice', 12, 'view'),
  at('carol', 30, 'view'),
  at('carol', 33, 'click'),
  at('alice', 20, 'click'), // 13 s behind
  at('carol', 36, 'cart'),
  at('carol', 38, 'buy'),
  at('alice', 41, 'cart'),
  at('bob', 60, 'click'),
  at('bob', 50, 'view'), // 10 s behind: [50 s, 80 s) merges into [60 s, 90 s)
  at('alice', 55, 'buy'),
  at('bob', 75, 'view'),
  at('carol', 120, 'view'),
  at('bob', 150, 'view'),
  at('carol', 170, 'click'),
  at('carol', 145, 'view'), // 25 s behind: joins carol's [120 s, 150 s) and [170 s, 200 s)
  at('alice', 200, 'view'),
  at('alice', 210, 'click'),
];
