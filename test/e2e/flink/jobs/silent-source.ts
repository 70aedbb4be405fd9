import { existsSync } from 'node:fs';
import { Duration, OutputTag, ParameterTool, TumblingEventTimeWindows, WatermarkStrategy, type StreamExecutionEnvironment } from 'weft';

/** A reading: a key, its event time in ms, and an id the results name it by. */
export interface Reading {
  readonly key: string;
  readonly ts: number;
  readonly id: string;
}

/** What source subtask 0 emits, right away; then it has nothing more to say. */
export const SUBTASK_0: readonly Reading[] = [
  { key: 'a', ts: 1000, id: 'a1' },
  { key: 'b', ts: 3000, id: 'b1' },
  { key: 'a', ts: 12000, id: 'a2' },
  { key: 'b', ts: 15000, id: 'b2' },
  { key: 'a', ts: 25000, id: 'a3' },
];
/** Source subtask 1 emits this one first, then goes silent... */
export const SUBTASK_1_FIRST: Reading = { key: 'b', ts: 2000, id: 'b-early' };
/** ...until the `--resume` file exists: then these two, and silence again. */
export const SUBTASK_1_RESUMED: readonly Reading[] = [
  { key: 'a', ts: 4000, id: 'a-late' },
  { key: 'b', ts: 26000, id: 'b3' },
];

/** A window's result: its key and bounds and the ids of its readings, sorted. */
export interface WindowIds {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly ids: string[];
}

export const LATE = new OutputTag<Reading>('late-readings');

/**
 * A source subtask that goes silent: 10 s tumbling windows per key over two source subtasks, one
 * of which stops emitting after its first reading until the file `--resume` appears (the test
 * creates it; a file, because the subtasks run in TaskManager processes). Watermarks: bounded
 * out-of-orderness 1 s, and with `--idleness <ms>` the strategy's withIdleness. Window results go
 * to the collect sink `windows`, readings too late for their window to `late`.
 *
 * The source is a generator of ticks (20/s per subtask); subtask 0 gets the even ticks, subtask 1
 * the odd ones, and a flatMap chained to it turns ticks into readings (or nothing), so a silent
 * subtask stays alive but sends no events: only idleness can tell its watermark to stop counting.
 */
export default function silentSource(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  const resume = params.get('resume');
  if (resume === undefined) throw new Error('silent-source needs --resume <file>');
  const idleness = params.getNumber('idleness');
  env.setJobName(idleness === undefined ? 'SilentSource' : `SilentSource (idleness ${idleness} ms)`);

  let strategy = WatermarkStrategy.forBoundedOutOfOrderness<Reading>(Duration.ofSeconds(1)).withTimestampAssigner((r) => r.ts);
  if (idleness !== undefined) strategy = strategy.withIdleness(idleness);

  // Only subtask 1 (odd ticks) uses this; each process builds its own copy of the pipeline.
  let resumed = false;
  const readings = env
    .fromGenerator({ rate: 40, generate: (i) => i })
    .setParallelism(2)
    .name('ticks')
    .flatMap<Reading>((tick, out) => {
      if (tick % 2 === 0) {
        const reading = SUBTASK_0[tick / 2];
        if (reading !== undefined) out.collect(reading);
      } else if (tick === 1) {
        out.collect(SUBTASK_1_FIRST);
      } else if (!resumed && existsSync(resume)) {
        resumed = true;
        for (const r of SUBTASK_1_RESUMED) out.collect(r);
      }
    })
    .setParallelism(2)
    .name('readings')
    .assignTimestampsAndWatermarks(strategy)
    .setParallelism(2);

  const windows = readings
    .keyBy((r) => r.key)
    .window(TumblingEventTimeWindows.of<Reading>(Duration.ofSeconds(10)))
    .sideOutputLateData(LATE)
    .process<WindowIds>((key, ctx, elements, out) => {
      const w = ctx.window();
      out.collect({ key, start: w.start, end: w.end, ids: [...elements].map((r) => r.id).sort() });
    })
    .name('10 s windows');
  windows.collect('windows');
  windows.getSideOutput(LATE).collect('late');
}
