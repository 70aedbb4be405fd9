import { JobFileError, LocalExecutor, loadJob } from 'weft';

/**
 * Runs a job file in this process with the LocalExecutor:
 *   npx tsx examples/run-local.ts <job file> [--parallelism N] [job args...]
 * The job file is compiled and loaded as on a cluster (same rules, same messages).
 * Ctrl-C cancels an unbounded job.
 */
async function main(argv: string[]): Promise<number> {
  const [file, ...rest] = argv;
  if (file === undefined) {
    process.stderr.write('usage: run-local.ts <job file> [--parallelism N] [job args...]\n');
    return 2;
  }
  let parallelism: number | undefined;
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--parallelism' || arg === '-p') parallelism = Number(rest[++i]);
    else args.push(arg);
  }
  if (parallelism !== undefined && (!Number.isInteger(parallelism) || parallelism < 1)) {
    process.stderr.write('run-local: --parallelism must be a positive integer\n');
    return 2;
  }
  let job: Awaited<ReturnType<typeof loadJob>>;
  try {
    job = await loadJob(file, args, parallelism === undefined ? {} : { parallelism });
  } catch (err) {
    if (!(err instanceof JobFileError)) throw err;
    process.stderr.write(`run-local: ${err.message}\n`);
    return 1;
  }
  process.stderr.write(`Job ${job.jobGraph.jobName} (${job.jobGraph.jobId})\n`);
  for (const v of job.jobGraph.vertices) process.stderr.write(`  ${v.name}  [parallelism ${v.parallelism}]\n`);

  const handle = new LocalExecutor().start(job);
  process.once('SIGINT', () => void handle.cancel());
  const result = await handle.result;
  process.stderr.write(`Job ${result.status} in ${result.durationMs} ms\n`);
  if (result.status === 'FAILED') {
    process.stderr.write(`${result.failedTask ?? ''}: ${result.error instanceof Error ? (result.error.stack ?? result.error.message) : String(result.error)}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
