import { Duration, OutputTag, ParameterTool, Time, TumblingEventTimeWindows, WatermarkStrategy, type AggregateFunction, type StreamExecutionEnvironment } from 'weft';

/**
 * Sensor readings that arrive out of order, averaged per sensor over 10 s event-time windows.
 * The watermark trails the largest timestamp seen by 5 s (forBoundedOutOfOrderness), so a reading
 * up to 5 s behind still counts; sensor-2's uplink drops at 14 s and its buffered readings of 17 s
 * and 19 s arrive last, long after its window [10 s, 20 s) has fired: they are late and go to a side
 * output, printed apart (`late> ...`) instead of silently dropped.
 *   --rate <n>        readings per second (default 8; the late ones arrive about 1.5 s after their window fired)
 *   --collect <name>  deliver window results to the collect sink <name> and late readings to <name>-late
 */
export default function sensorWindows(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  env.setJobName('SensorWindows');

  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Reading>(Duration.ofSeconds(5)).withTimestampAssigner((r) => r.ts);
  const readings = env
    .fromGenerator({ bounded: READINGS.length, rate: params.getNumber('rate', 8), generate: (i) => READINGS[i] as Reading }, strategy)
    // One gateway forwards every sensor, in the order the readings reached it.
    .setParallelism(1)
    .name('sensor readings');

  const perWindow = readings
    .keyBy((r) => r.sensor)
    .window(TumblingEventTimeWindows.of<Reading>(Time.seconds(10)))
    .sideOutputLateData(LATE)
    // Incremental: the window keeps one accumulator per sensor, not the readings.
    .aggregate<Accumulator, Accumulator, SensorWindow>(STATS, (sensor, ctx, stats, out) => {
      for (const s of stats) {
        out.collect({ sensor, start: ctx.window().start, end: ctx.window().end, count: s.count, avg: Math.round((s.sum / s.count) * 10) / 10, max: s.max });
      }
    })
    .name('10 s averages');
  const late = perWindow.getSideOutput(LATE);

  const collect = params.get('collect');
  if (collect !== undefined) {
    perWindow.collect(collect);
    late.collect(`${collect}-late`);
    return;
  }
  perWindow.map(formatWindow).name('format').print();
  late.map((r) => `${r.sensor} @ ${clock(r.ts)}  ${r.celsius.toFixed(1)} °C  (its window had fired)`).name('format late').print('late');
}

export interface Reading {
  readonly sensor: string;
  /** Event time: when the sensor measured, ms since the epoch. */
  readonly ts: number;
  readonly celsius: number;
}

export interface SensorWindow {
  readonly sensor: string;
  readonly start: number;
  readonly end: number;
  readonly count: number;
  /** Rounded to 0.1 °C. */
  readonly avg: number;
  readonly max: number;
}

export const LATE = new OutputTag<Reading>('late-readings');

interface Accumulator {
  count: number;
  sum: number;
  max: number;
}

const STATS: AggregateFunction<Reading, Accumulator, Accumulator> = {
  createAccumulator: () => ({ count: 0, sum: 0, max: Number.NEGATIVE_INFINITY }),
  add: (r, acc) => ({ count: acc.count + 1, sum: acc.sum + r.celsius, max: Math.max(acc.max, r.celsius) }),
  getResult: (acc) => acc,
  merge: (a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum, max: Math.max(a.max, b.max) }),
};

/** 08:00:00 UTC on the day of the bundled readings. */
export const BASE = Date.UTC(2026, 11, 6, 8, 0, 0);

const clock = (ts: number): string => new Date(ts).toISOString().slice(11, 19);

const formatWindow = (w: SensorWindow): string => `${w.sensor}  [${clock(w.start)}, ${clock(w.end)})  ${w.count} reading${w.count === 1 ? '' : 's'}  avg ${w.avg.toFixed(1)} °C  max ${w.max.toFixed(1)} °C`;

const reading = (sensor: string, seconds: number, celsius: number): Reading => ({ sensor, ts: BASE + seconds * 1000, celsius });

/** The readings in the order they reach the job (seconds after 08:00:00, °C). */
export const READINGS: readonly Reading[] = [
  reading('sensor-1', 0.5, 20.1),
  reading('sensor-2', 1, 22.4),
  reading('sensor-3', 2, 19.8),
  reading('sensor-1', 4, 20.5),
  reading('sensor-2', 3.5, 22.0),
  reading('sensor-3', 6, 20.0),
  reading('sensor-1', 8.5, 20.9),
  reading('sensor-2', 7, 22.8),
  reading('sensor-3', 11, 20.3),
  reading('sensor-1', 12, 21.2),
  reading('sensor-2', 13.5, 23.1),
  reading('sensor-3', 10.5, 20.0), // 3 s behind: within the 5 s bound, still counted
  reading('sensor-1', 16, 21.6),
  reading('sensor-3', 17.5, 20.6),
  reading('sensor-1', 21, 22.0),
  reading('sensor-3', 22, 20.9),
  reading('sensor-1', 25.5, 22.1), // the watermark passes 20 s - 1 ms: [10 s, 20 s) fires
  reading('sensor-3', 27, 21.1),
  reading('sensor-1', 29, 22.5),
  reading('sensor-3', 31.5, 21.4),
  reading('sensor-1', 33, 22.8),
  reading('sensor-3', 35, 21.7),
  reading('sensor-2', 34, 24.0), // sensor-2 is back
  reading('sensor-1', 37.5, 23.0),
  reading('sensor-3', 39, 22.0),
  reading('sensor-2', 38, 24.2),
  reading('sensor-1', 41, 23.3),
  reading('sensor-3', 44, 22.2),
  reading('sensor-2', 17, 23.4), // buffered during the outage, sent last: late
  reading('sensor-2', 19, 23.6), // late
];
