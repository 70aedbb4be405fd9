import type { Command } from 'commander';
import { createFlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import type { CliContext } from './cli-context.ts';
import { jobCancel, jobList, jobStatus, type JobCommandOptions } from './flink-job.ts';
import { run, runApplication, type RunOptions } from './flink-run.ts';
import { sessionStart, sessionStop, type SessionStartOptions } from './flink-session.ts';

type Run = (action: (ctx: CliContext) => Promise<number>, cmd: Command) => Promise<void>;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Flink's defaults, from the one place they live; shown in help, not set (so -D still decides). */
const DEFAULTS = createFlinkConfiguration();

function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--tm-memory <mb>', `TaskManager container memory in MB (taskmanager.memory.process.size, default ${DEFAULTS['taskmanager.memory.process.size']})`)
    .option('--slots <n>', `slots per TaskManager (taskmanager.numberOfTaskSlots, default ${DEFAULTS['taskmanager.numberOfTaskSlots']})`)
    .option('--jm-memory <mb>', `JobManager (ApplicationMaster) memory in MB (jobmanager.memory.process.size, default ${DEFAULTS['jobmanager.memory.process.size']})`)
    .option('--name <name>', 'YARN application name')
    .option('--queue <queue>', 'YARN queue')
    .option('-D <key=value>', 'Flink property (repeatable)', collect, []);
}

/** The Flink commands, after yarn-session.sh and `flink run|run-application|list|cancel`. */
export function registerFlinkCommands(program: Command, runAction: Run): void {
  const session = program.command('session').description('Flink session clusters on YARN (yarn-session.sh)');
  clusterOptions(session.command('start').description('start a Flink session cluster: a JobManager AM; TaskManagers come on demand'))
    .option('--detached', 'return once the JobManager runs')
    .action((o: SessionStartOptions, cmd: Command) => runAction((ctx) => sessionStart(ctx, o), cmd));
  session
    .command('stop <appId>')
    .description('stop a Flink session cluster (DELETE /cluster)')
    .action((appId: string, _o: unknown, cmd: Command) => runAction((ctx) => sessionStop(ctx, appId), cmd));

  clusterOptions(program.command('run').description('run a job file on a session cluster or on its own per-job cluster (flink run)'))
    .argument('<jobFile>', 'a .ts/.js job file whose default export builds the pipeline')
    .argument('[args...]', 'program arguments, after --')
    .option('--target <target>', 'session or per-job', 'session')
    .option('--app <appId>', 'the session cluster (with --target session)')
    .option('--parallelism <n>', 'default parallelism of the job')
    .option('--detached', 'return once the job is submitted')
    .action((jobFile: string, args: string[], o: RunOptions, cmd: Command) => runAction((ctx) => run(ctx, jobFile, args, o), cmd));

  clusterOptions(program.command('run-application').description("run a job file in application mode: its main runs in the JobManager (flink run-application)"))
    .argument('<jobFile>', 'a .ts/.js job file whose default export builds the pipeline')
    .argument('[args...]', 'program arguments, after --')
    .option('--parallelism <n>', 'default parallelism of the job')
    .option('--detached', 'return once the cluster runs')
    .action((jobFile: string, args: string[], o: RunOptions, cmd: Command) => runAction((ctx) => runApplication(ctx, jobFile, args, { ...o, target: 'application' }), cmd));

  const job = program.command('job').description('jobs of a Flink cluster (flink list / cancel)');
  job
    .command('list')
    .description('list the jobs of a Flink cluster')
    .requiredOption('--app <appId>', "the Flink cluster's YARN application")
    .action((o: JobCommandOptions, cmd: Command) => runAction((ctx) => jobList(ctx, o), cmd));
  job
    .command('status <jobId>')
    .description("print a job's state")
    .requiredOption('--app <appId>', "the Flink cluster's YARN application")
    .action((jobId: string, o: JobCommandOptions, cmd: Command) => runAction((ctx) => jobStatus(ctx, jobId, o), cmd));
  job
    .command('cancel <jobId>')
    .description('cancel a job')
    .requiredOption('--app <appId>', "the Flink cluster's YARN application")
    .action((jobId: string, o: JobCommandOptions, cmd: Command) => runAction((ctx) => jobCancel(ctx, jobId, o), cmd));
}
