import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import type { SlsOptions } from './sls.ts';

type Run = (action: (ctx: CliContext) => Promise<number>, cmd: Command) => Promise<void>;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `weft sls`: Hadoop's slsrun.sh, with `weft rm start`'s configuration flags. The simulator (a
 * whole ResourceManager) is loaded when the command runs, not at every CLI start.
 */
export function registerSlsCommand(program: Command, run: Run): void {
  program
    .command('sls')
    .description("simulate the ResourceManager against a trace on virtual time (Hadoop's Scheduler Load Simulator, slsrun.sh)")
    .option('--tracetype <type>', 'SLS (JSON job trace) or SYNTH (synthetic workload description)')
    .option('--tracelocation <files>', 'comma-separated trace files')
    .option('--input-sls <files>', 'deprecated: --tracetype SLS --tracelocation <files>')
    .option('--output-dir <dir>', 'where realtimetrack.json, jobruntime.csv and report.html go')
    .option('--nodes <file>', 'nodes file ({"rack": ..., "nodes": [{"node": ...}]}); default: the nodes the trace names')
    .option('--track-jobs <ids>', 'comma-separated trace job ids to draw container by container in the report')
    .option('--print-simulation', 'print the simulation summary before running')
    .option('--config <file>', 'yarn-site.xml or JSON properties (RM and yarn.sls.* keys)')
    .option('--capacity-config <file>', 'capacity-scheduler.xml')
    .option('--conf <key=value>', 'YARN, SLS (yarn.sls.*) or Flink property (repeatable)', collect, [])
    .action((o: SlsOptions, cmd: Command) => run(async (ctx) => (await import('./sls.ts')).sls(ctx, o), cmd));
}
