import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listProcesses, signalGroup, type ProcInfo } from '../../fixtures/processes.ts';

/** Short Flink timings so heartbeats, restarts and idle release happen within a test. */
export const FAST_FLINK_CONF = [
  'heartbeat.interval=500',
  'heartbeat.timeout=5000',
  'resourcemanager.taskmanager-timeout=4000',
  'yarn.heartbeat.interval=1',
  'yarn.heartbeat.container-request-interval=200',
  'restart-strategy.fixed-delay.delay=500 ms',
] as const;

/** `-D k=v` flags plus small containers (a mini-cluster NM has 4 GB). */
export const FLINK_FLAGS = ['--tm-memory', '256', '--jm-memory', '256', '--slots', '2', ...FAST_FLINK_CONF.flatMap((kv) => ['-D', kv])];

export const appIdOf = (text: string): string => {
  const m = /application_\d+_\d+/.exec(text);
  if (!m) throw new Error(`no application id in:\n${text}`);
  return m[0];
};

/**
 * Live TaskManagers, one process per container (the launch shell and node both name the entry;
 * the one whose work dir is the container's is kept once), optionally of one app.
 */
export function taskManagerProcesses(clusterDir: string, appId?: string): ProcInfo[] {
  const byContainer = new Map<string, ProcInfo>();
  for (const p of listProcesses()) {
    if (!p.cwd.startsWith(`${clusterDir}/`) || !p.cmdline.includes('runtime/taskexecutor/main.ts')) continue;
    if (appId !== undefined && !p.cwd.includes(appId)) continue;
    const seen = byContainer.get(p.cwd);
    if (!seen || p.pid === p.pgid) byContainer.set(p.cwd, p);
  }
  return [...byContainer.values()];
}

/** SIGKILL to the process group of a container's process (the NM starts each in its own group). */
export const killProcessGroup = (p: ProcInfo): void => signalGroup(p.pgid, 'SIGKILL');

/** WordCount's final count per word, computed here from the same text. */
export function expectedWordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    for (const word of line.toLowerCase().split(/[^a-z']+/)) {
      const w = word.replace(/^'+|'+$/g, '');
      if (w.length > 0) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return counts;
}

/** The last (= final running) count per key from sink files of JSON lines. */
export function finalCounts(lines: readonly string[], key: string, value: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of lines) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as Record<string, unknown>;
    const k = String(rec[key]);
    result.set(k, Math.max(result.get(k) ?? 0, Number(rec[value])));
  }
  return result;
}

/** GET through the RM's web proxy to the JobManager's Flink REST API. */
export async function flinkGet<T>(rmUrl: string, appId: string, path: string): Promise<T> {
  const res = await fetch(`${rmUrl}/proxy/${appId}${path}`);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path} -> ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** The words the job file outside the repository counts (it keeps them in a module of its own). */
export const USER_JOB_WORDS = ['to', 'be', 'or', 'not', 'to', 'be', 'that', 'is', 'the', 'question', 'to', 'be'];

/**
 * A job file as a user writes one, outside this repository (in the OS temp dir, no package.json,
 * no node_modules): TypeScript, `import ... from 'weft'`, and a helper module beside it.
 * `--output <path>` writes running counts as text, `--collect <name>` to a collect sink.
 */
export function writeUserJobOutsideRepo(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'weft-user-job-'));
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', 'words.ts'), `export const WORDS: readonly string[] = ${JSON.stringify(USER_JOB_WORDS)};\n`);
  writeFileSync(
    join(dir, 'my-count.ts'),
    `import { ParameterTool, type StreamExecutionEnvironment } from 'weft';
import { WORDS } from './lib/words.ts';

export default function myCount(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  env.setJobName('MyCount');
  const counts = env
    .fromElements(...WORDS)
    .name('words')
    .map((word) => ({ word, count: 1 }))
    .keyBy((r) => r.word)
    .sum('count')
    .name('counter');
  const output = params.get('output');
  if (output !== undefined) counts.writeAsText(output).name('file-sink');
  const collect = params.get('collect');
  if (collect !== undefined) counts.collect(collect);
}
`,
  );
  return { dir, file: join(dir, 'my-count.ts') };
}

/** What the job outside the repository must count. */
export const expectedUserJobCounts = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const w of USER_JOB_WORDS) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
};

/** The lines a text sink wrote: one file, or a directory of one file per subtask. */
export function sinkLines(path: string): string[] {
  const files = statSync(path).isDirectory() ? readdirSync(path).map((f) => join(path, f)) : [path];
  return files.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l.trim().length > 0);
}
