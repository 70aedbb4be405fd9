/**
 * `yarn` and `flink` command lines typed at `weft` out of habit (`weft application -list`,
 * `weft yarn node -list`, `flink list`, `yarn-session.sh -d`, `flink run -m yarn-cluster -p 2 x.ts`),
 * turned into the weft command that does the same. Used only after the command line failed to
 * parse, so a valid weft command is never second-guessed.
 */

/** The suggested command line (starting with `weft`) and what it replaces, or undefined. */
export interface HabitHint {
  readonly command: string;
  /** e.g. `yarn application -list`. */
  readonly habit: string;
}

const GLOBAL_WITH_VALUE = new Set(['--rm', '--user']);
const GLOBAL_FLAGS = new Set(['--json']);

/** Flink's and yarn-session.sh's options (CliFrontend, FlinkYarnSessionCli) → weft's. */
const FLINK_OPTIONS: Readonly<Record<string, { readonly weft: string; readonly value: boolean }>> = {
  '-p': { weft: '--parallelism', value: true },
  '--parallelism': { weft: '--parallelism', value: true },
  '-d': { weft: '--detached', value: false },
  '--detached': { weft: '--detached', value: false },
  '-yd': { weft: '--detached', value: false },
  '-jm': { weft: '--jm-memory', value: true },
  '-yjm': { weft: '--jm-memory', value: true },
  '--jobManagerMemory': { weft: '--jm-memory', value: true },
  '-tm': { weft: '--tm-memory', value: true },
  '-ytm': { weft: '--tm-memory', value: true },
  '--taskManagerMemory': { weft: '--tm-memory', value: true },
  '-s': { weft: '--slots', value: true },
  '-ys': { weft: '--slots', value: true },
  '--slots': { weft: '--slots', value: true },
  '-nm': { weft: '--name', value: true },
  '-ynm': { weft: '--name', value: true },
  '--name': { weft: '--name', value: true },
  '-qu': { weft: '--queue', value: true },
  '-yqu': { weft: '--queue', value: true },
  '--queue': { weft: '--queue', value: true },
  '-yid': { weft: '--app', value: true },
  '-id': { weft: '--app', value: true },
  '--applicationId': { weft: '--app', value: true },
};

/** Flink options with no weft counterpart: dropped from the suggestion with their value. */
const FLINK_DROPPED = new Set(['-c', '--class', '-C', '--classpath', '--fromSavepoint', '-n', '--allowNonRestoredState', '-sae', '--shutdownOnAttachedExit', '-yt', '--yarnship']);

const quote = (arg: string): string => (/^[\w@%+=:,./<>-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

function splitGlobals(argv: readonly string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (GLOBAL_WITH_VALUE.has(a) && i + 1 < argv.length) globals.push(a, argv[++i]!);
    else if (GLOBAL_FLAGS.has(a) || [...GLOBAL_WITH_VALUE].some((g) => a.startsWith(`${g}=`))) globals.push(a);
    else rest.push(a);
  }
  return { globals, rest };
}

/** `-opt value` pairs of a yarn subcommand (ApplicationCLI & co. take single-dash long options). */
function yarnOptions(args: readonly string[]): Map<string, string | true> {
  const opts = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!/^--?[A-Za-z]/.test(a)) continue;
    const name = a.replace(/^--?/, '');
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('-')) {
      opts.set(name, next);
      i++;
    } else opts.set(name, true);
  }
  return opts;
}

const str = (v: string | true | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function yarnApplication(args: readonly string[]): string[] | undefined {
  const o = yarnOptions(args);
  const appId = str(o.get('status')) ?? str(o.get('kill')) ?? str(o.get('appId')) ?? '<appId>';
  if (o.has('status')) return ['app', 'status', appId];
  if (o.has('kill')) return ['app', 'kill', appId];
  if (o.has('list') || o.has('appStates') || o.has('appTypes')) {
    const states = str(o.get('appStates'));
    const types = str(o.get('appTypes'));
    return ['app', 'list', ...(states ? ['--states', states] : []), ...(types ? ['--types', types] : [])];
  }
  return undefined;
}

function yarnNode(args: readonly string[]): string[] | undefined {
  const o = yarnOptions(args);
  if (!o.has('list') && !o.has('status') && !o.has('all') && !o.has('states')) return undefined;
  const states = str(o.get('states'));
  return ['node', 'list', ...(o.has('all') || o.has('status') ? ['--all'] : []), ...(states ? ['--states', states] : [])];
}

function yarnQueue(args: readonly string[]): string[] | undefined {
  const o = yarnOptions(args);
  if (o.has('status')) return ['queue', 'status', ...(str(o.get('status')) ? [str(o.get('status'))!] : [])];
  if (o.has('list')) return ['queue', 'status'];
  return undefined;
}

function yarnLogs(args: readonly string[]): string[] | undefined {
  const o = yarnOptions(args);
  const appId = str(o.get('applicationId'));
  if (!appId) return undefined;
  const container = str(o.get('containerId'));
  const files = str(o.get('log_files'));
  return ['logs', appId, ...(container ? ['--container', container] : []), ...(files ? ['--log-files', files] : [])];
}

/**
 * Flink options → weft options; `-t`/`-m` pick the target; positional arguments are kept in
 * order. `-s` is a savepoint to `flink run` and the slots to yarn-session.sh.
 */
function flinkArgs(args: readonly string[], dialect: 'run' | 'session'): { options: string[]; positional: string[]; target?: string; app?: string } {
  const options: string[] = [];
  const positional: string[] = [];
  let target: string | undefined;
  let app: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positional.push(...args.slice(i));
      break;
    }
    if (positional.length > 0) {
      // After the job file every argument belongs to the program.
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const [name, inline] = a.startsWith('-') && eq > 0 && !a.startsWith('-D') ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const take = (): string => inline ?? args[++i] ?? '';
    if (name === '-t' || name === '--target' || name === '-e' || name === '--executor') {
      const t = take();
      target = t.replace(/^yarn-/, '');
    } else if (name === '-m' || name === '--jobmanager') {
      if (take() === 'yarn-cluster') target = 'per-job';
    } else if (name.startsWith('-D')) {
      const kv = name === '-D' ? take() : name.slice(2);
      const m = /^yarn\.application\.id=(.+)$/.exec(kv);
      if (m) app = m[1];
      else options.push('-D', kv);
    } else if (name === '-s' && dialect === 'run') {
      take();
    } else if (FLINK_OPTIONS[name]) {
      const o = FLINK_OPTIONS[name];
      if (!o.value) options.push(o.weft);
      else if (o.weft === '--app') app = take();
      else options.push(o.weft, take());
    } else if (FLINK_DROPPED.has(name)) {
      take();
    } else if (name.startsWith('-')) {
      options.push(name);
    } else positional.push(a);
  }
  return { options, positional, ...(target !== undefined ? { target } : {}), ...(app !== undefined ? { app } : {}) };
}

function flinkRun(args: readonly string[], application: boolean): string[] {
  const { options, positional, target, app } = flinkArgs(args, 'run');
  const [jobFile = '<jobFile>', ...rest] = positional;
  const programArgs = rest[0] === '--' ? rest : rest.length > 0 ? ['--', ...rest] : [];
  if (application || target === 'application') return ['run-application', ...options, jobFile, ...programArgs];
  const weftTarget = app !== undefined || target === 'session' ? 'session' : 'per-job';
  return ['run', '--target', weftTarget, ...(weftTarget === 'session' ? ['--app', app ?? '<appId>'] : []), ...options, jobFile, ...programArgs];
}

function flinkJobCommand(verb: 'list' | 'cancel' | 'status', args: readonly string[]): string[] {
  const { positional, app } = flinkArgs(args, 'run');
  return ['job', verb, '--app', app ?? '<appId>', ...(verb === 'list' ? [] : [positional[0] ?? '<jobId>'])];
}

function yarnSession(args: readonly string[]): string[] {
  const { options, app } = flinkArgs(args, 'session');
  // yarn-session.sh -id <appId> attaches to a running session: weft's is its dashboard / job list.
  if (app !== undefined) return ['job', 'list', '--app', app];
  return ['session', 'start', ...options];
}

const HABITS: Readonly<Record<string, { readonly tool: string; readonly translate: (args: readonly string[]) => string[] | undefined }>> = {
  application: { tool: 'yarn', translate: yarnApplication },
  app: { tool: 'yarn', translate: yarnApplication },
  node: { tool: 'yarn', translate: yarnNode },
  queue: { tool: 'yarn', translate: yarnQueue },
  logs: { tool: 'yarn', translate: yarnLogs },
  list: { tool: 'flink', translate: (a) => flinkJobCommand('list', a) },
  cancel: { tool: 'flink', translate: (a) => flinkJobCommand('cancel', a) },
  run: { tool: 'flink', translate: (a) => flinkRun(a, false) },
  'run-application': { tool: 'flink', translate: (a) => flinkRun(a, true) },
  'yarn-session.sh': { tool: '', translate: yarnSession },
  'yarn-session': { tool: '', translate: yarnSession },
  job: { tool: 'flink', translate: (a) => (a[0] === 'list' || a[0] === 'cancel' || a[0] === 'status' ? flinkJobCommand(a[0], a.slice(1)) : undefined) },
  session: { tool: 'yarn-session.sh', translate: (a) => (a[0] === 'start' || a[0] === 'stop' ? undefined : yarnSession(a)) },
};

/** The weft command a failed `yarn`/`flink` habit means, or undefined if none is recognised. */
export function habitHint(argv: readonly string[]): HabitHint | undefined {
  const { globals, rest } = splitGlobals(argv);
  let tokens = rest;
  let tool: string | undefined;
  if (tokens[0] === 'yarn' || tokens[0] === 'flink') {
    tool = tokens[0];
    tokens = tokens.slice(1);
  }
  const [command, ...args] = tokens;
  if (command === undefined) return undefined;
  const habit = HABITS[command.replace(/^.*\//, '')];
  if (!habit) return undefined;
  const translated = habit.translate(args);
  if (!translated) return undefined;
  const suggestion = ['weft', ...globals, ...translated].map(quote).join(' ');
  const original = ['weft', ...argv].map(quote).join(' ');
  if (suggestion === original) return undefined;
  const by = tool ?? habit.tool;
  return { command: suggestion, habit: [by, ...tokens].filter((t) => t !== '').map(quote).join(' ') };
}

/** The line printed under commander's error. */
export const formatHabitHint = (hint: HabitHint): string => `weft: \`${hint.habit}\` is \`${hint.command}\` here`;
