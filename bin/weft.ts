/**
 * The `weft` command line, after `yarn`: cluster, rm, nm, app, node, queue, logs, dshell and sls.
 * Each command lives in bin/cli/; this file only wires commander to them and turns errors into
 * one line on stderr.
 */
import { Command, CommanderError, Option } from 'commander';
import { appKill } from './cli/app-kill.ts';
import { appList } from './cli/app-list.ts';
import { appStatus } from './cli/app-status.ts';
import { createCliContext, DEFAULT_RM_URL, type CliContext, type GlobalOptions } from './cli/cli-context.ts';
import { CliError, describeCliError } from './cli/cli-error.ts';
import { formatHabitHint, habitHint } from './cli/habit-hints.ts';
import { clusterStart, type ClusterStartOptions } from './cli/cluster-start.ts';
import { daemonArgs, runDaemonInForeground } from './cli/daemon-start.ts';
import { dshell, type DshellOptions } from './cli/dshell.ts';
import { HISTORY_SERVER_ENTRY, historyServerArgs, type HistoryStartOptions } from './cli/history-start.ts';
import { logs, yarnLogsArgv, type LogsOptions } from './cli/logs.ts';
import { nodeList, type NodeListOptions } from './cli/node-list.ts';
import { queueStatus } from './cli/queue-status.ts';
import { registerFlinkCommands } from './cli/flink-commands.ts';
import { registerSlsCommand } from './cli/sls-command.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function buildProgram(
  run: (action: (ctx: CliContext) => Promise<number>, cmd: Command) => Promise<void>,
  writeError: (text: string) => void = (text) => void process.stderr.write(text),
): Command {
  const program = new Command('weft')
    .description('A YARN-style ResourceManager/NodeManager and Flink-style runtime, on your laptop')
    .option('--rm <url>', `ResourceManager URL (env WEFT_RM, default ${DEFAULT_RM_URL})`)
    .option('--user <name>', 'user name sent as user.name (default env USER)')
    .option('--json', 'print machine-readable JSON')
    .configureOutput({ outputError: (str) => writeError(`weft: ${str.replace(/^error: /, '')}`) })
    .exitOverride();

  const cluster = program.command('cluster').description('run a local cluster');
  cluster
    .command('start')
    .description('start a ResourceManager and N NodeManagers as processes on this host; Ctrl-C stops them all')
    .option('--nodes <n>', 'number of NodeManagers', '2')
    .option('--node-memory <mb>', 'memory per NodeManager in MB', '8192')
    .option('--node-vcores <n>', 'vcores per NodeManager', '8')
    .option('--port <port>', 'ResourceManager HTTP port (0 = any free port)', '8088')
    .option('--dir <path>', 'state and log directory', '.weft')
    .option('--hostname <name>', 'host name the daemons advertise', 'localhost')
    .option('--conf <key=value>', 'YARN property (repeatable); yarn.nodemanager.* go to the NMs; overrides the local scheduler defaults (README)', collect, [])
    .option('--history-port <port>', 'Flink history server port (historyserver.web.port; default 8082, or a free one when 8082 is taken; 0 = any free port)')
    .option('--no-history-server', 'do not run a Flink history server (finished Flink jobs are then not archived)')
    .action((opts: ClusterStartOptions, cmd: Command) => run((ctx) => clusterStart(ctx, opts), cmd));

  const rm = program.command('rm').description('ResourceManager');
  rm.command('start')
    .description('run a ResourceManager in the foreground')
    .option('--port <port>', 'HTTP port (0 = any free port)', '8088')
    .option('--host <addr>', 'bind address', '0.0.0.0')
    .option('--hostname <name>', 'advertised host name', 'localhost')
    .option('--dir <path>', 'state directory', '.weft/rm')
    .option('--config <file>', 'yarn-site.xml or JSON properties')
    .option('--capacity-config <file>', 'capacity-scheduler.xml')
    .option('--conf <key=value>', 'YARN property (repeatable)', collect, [])
    .action((o: { port: string; host: string; hostname: string; dir: string; config?: string; capacityConfig?: string; conf: string[] }, cmd: Command) =>
      run(
        () =>
          runDaemonInForeground(
            'rm/main.ts',
            daemonArgs({ port: o.port, host: o.host, hostname: o.hostname, dir: o.dir, config: o.config, 'capacity-config': o.capacityConfig }, o.conf),
          ),
        cmd,
      ),
    );

  const nm = program.command('nm').description('NodeManager');
  nm.command('start')
    .description('run a NodeManager in the foreground (registers with --rm)')
    .option('--port <port>', 'HTTP port (0 = any free port)', '8042')
    .option('--memory <mb>', 'memory for containers in MB', '8192')
    .option('--vcores <n>', 'vcores for containers', '8')
    .option('--dir <path>', 'local and log dirs', '.weft/nm')
    .option('--hostname <name>', 'advertised host name', 'localhost')
    .option('--conf <key=value>', 'YARN property (repeatable)', collect, [])
    .action((o: { port: string; memory: string; vcores: string; dir: string; hostname: string; conf: string[] }, cmd: Command) =>
      run(
        (ctx) =>
          runDaemonInForeground('nodemanager/main.ts', daemonArgs({ rm: ctx.rmUrl, port: o.port, memory: o.memory, vcores: o.vcores, dir: o.dir, hostname: o.hostname }, o.conf)),
        cmd,
      ),
    );

  const app = program.command('app').alias('application').description('applications');
  app
    .command('list')
    .description('list applications (yarn application -list)')
    .option('--states <states>', 'comma-separated states, or ALL (default SUBMITTED,ACCEPTED,RUNNING)')
    .option('--queue <queue>', 'only applications in this queue')
    .option('--types <types>', 'comma-separated application types')
    .action((o: { states?: string; queue?: string; types?: string }, cmd: Command) => run((ctx) => appList(ctx, o), cmd));
  app
    .command('status <appId>')
    .description('print an application report (yarn application -status)')
    .action((appId: string, _o: unknown, cmd: Command) => run((ctx) => appStatus(ctx, appId), cmd));
  app
    .command('kill <appId>')
    .description('kill an application (yarn application -kill)')
    .action((appId: string, _o: unknown, cmd: Command) => run((ctx) => appKill(ctx, appId), cmd));

  const node = program.command('node').description('nodes');
  node
    .command('list')
    .description('list nodes (yarn node -list); RUNNING ones unless --all or --states')
    .option('--all', 'nodes in every state')
    .option('--states <states>', 'comma-separated node states')
    .action((o: NodeListOptions, cmd: Command) => run((ctx) => nodeList(ctx, o), cmd));

  const queue = program.command('queue').description('queues');
  queue
    .command('status [queue]')
    .description('print a queue report (yarn queue -status); every queue without an argument')
    .action((name: string | undefined, _o: unknown, cmd: Command) => run((ctx) => queueStatus(ctx, name), cmd));

  program
    .command('logs <appId>')
    .description('print every log file of every container of an application, running or finished (yarn logs -applicationId)')
    .option('--container <containerId>', 'only this container (yarn: -containerId)')
    .option('--log-files <names>', 'comma-separated log file names, default all (yarn: -log_files)')
    .action((appId: string, o: LogsOptions, cmd: Command) => run((ctx) => logs(ctx, appId, o), cmd));

  program
    .command('dshell')
    .description("run a shell command in N containers (YARN's DistributedShell); exits 0 when all succeed")
    .argument('[command...]', 'the command, after --')
    .addOption(new Option('--num-containers <n>', 'containers to run the command in').default('1'))
    .option('--container-memory <mb>', 'memory per container in MB', '128')
    .option('--container-vcores <n>', 'vcores per container', '1')
    .option('--master-memory <mb>', 'memory of the ApplicationMaster container in MB', '256')
    .option('--master-vcores <n>', 'vcores of the ApplicationMaster container', '1')
    .option('--queue <queue>', 'queue to submit to')
    .option('--appname <name>', 'application name', 'DistributedShell')
    .option('--priority <n>', 'priority of the container requests', '0')
    .option('--max-container-retries <n>', 'failed containers that may be replaced before the app fails', '0')
    .option('--max-app-attempts <n>', 'ApplicationMaster attempts (0 = the RM default)', '0')
    .option('--shell-env <key=value>', 'environment for the command (repeatable)', collect, [])
    .option('--tags <tags>', 'comma-separated application tags')
    .option('--detached', 'print the application id and return without waiting')
    .action((command: string[], o: DshellOptions, cmd: Command) => run((ctx) => dshell(ctx, command, o), cmd));

  const history = program.command('history').description("Flink's history server: the dashboards of finished jobs");
  history
    .command('start')
    .description('run a Flink history server in the foreground over the jobs JobManagers archived (historyserver.sh start-foreground)')
    .option('--port <port>', 'historyserver.web.port (default 8082; 0 = any free port)')
    .option('--address <host>', 'historyserver.web.address: the host name in its links (default: listen on all interfaces)')
    .option('--archive-dir <dirs>', "historyserver.archive.fs.dir: comma-separated directories, the JobManagers' jobmanager.archive.fs.dir")
    .option('-D <key=value>', 'Flink property (repeatable), after $FLINK_CONF_DIR/config.yaml', collect, [])
    .action((o: HistoryStartOptions, cmd: Command) => run(() => runDaemonInForeground(HISTORY_SERVER_ENTRY, historyServerArgs(o)), cmd));

  registerFlinkCommands(program, run);
  registerSlsCommand(program, run);

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  let rmUrl = DEFAULT_RM_URL;
  // Usage errors are held back until it is known whether a yarn/flink habit explains them.
  let usageError = '';
  const program = buildProgram(
    async (action, cmd) => {
      const ctx = createCliContext(cmd.optsWithGlobals<GlobalOptions>());
      rmUrl = ctx.rmUrl;
      exitCode = await action(ctx);
    },
    (text) => (usageError += text),
  );
  try {
    await program.parseAsync(yarnLogsArgv(argv), { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      const hint = err.exitCode !== 0 ? habitHint(argv) : undefined;
      // Commander's own "(Did you mean ...?)" guesses a weft word; the habit names the command.
      process.stderr.write(hint ? `${usageError.replace(/\s*\(Did you mean [^)]*\)\s*$/, '').trimEnd()}\n${formatHabitHint(hint)}\n` : usageError);
      return err.exitCode;
    }
    process.stderr.write(`weft: ${describeCliError(err, rmUrl)}\n`);
    if (process.env.WEFT_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
