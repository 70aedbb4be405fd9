import { describe, expect, it } from 'vitest';
import type { LoadedJob, LoadJobOptions } from '../../../../runtime/api/job-loader.ts';
import { StreamExecutionEnvironment } from '../../../../runtime/api/stream-execution-environment.ts';
import { newFlinkId } from '../../../../runtime/protocol/records.ts';
import { JobGraphMismatchError, JobLibrary } from '../../../../runtime/taskexecutor/job-library.ts';
import { resolveTaskVertex } from '../../../../runtime/taskexecutor/task-vertex.ts';
import { tddFor } from './task-executor-fixture.ts';

/**
 * The job file of these tests: source (parallelism 1) -> map (default parallelism) -> collect; the
 * edge is FORWARD or REBALANCE, and the map's operator ids differ, depending on the default.
 */
function build(jobId: string, options: LoadJobOptions): LoadedJob {
  const parallelism = options.parallelism ?? 1;
  const env = new StreamExecutionEnvironment({ parallelism });
  env
    .fromElements(1, 2, 3)
    .setParallelism(1)
    .map((x) => x + 1)
    .collect('out');
  const built = env.buildJob({ jobId });
  return { ...built, jobGraph: { ...built.jobGraph, executionConfig: { parallelism } }, sourceName: 'j.ts', args: [] };
}

describe('JobLibrary', () => {
  it('loads a job once per job, file, args and defaults', async () => {
    let loads = 0;
    const jobId = newFlinkId();
    const library = new JobLibrary({ get: async () => '/jobs/j.mjs' }, async (_p, _a, options) => {
      loads++;
      return build(jobId, options);
    });
    const tdd = tddFor(build(jobId, {}), newFlinkId());
    const [a, b] = await Promise.all([library.load(tdd), library.load({ ...tdd, executionAttemptId: newFlinkId() })]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    library.release(jobId);
    await library.load(tdd);
    expect(loads).toBe(2);
  });

  it("builds the job with the JobManager's default parallelism, max parallelism and job configuration from the TDD", async () => {
    const jobId = newFlinkId();
    // The JobManager built the graph with --parallelism 3: source (1) -REBALANCE-> map (3) -> sink (3).
    const onJobManager = build(jobId, { parallelism: 3 });
    const seen: LoadJobOptions[] = [];
    const library = new JobLibrary({ get: async () => '/jobs/j.mjs' }, async (_p, _a, options) => {
      seen.push(options);
      return build(jobId, options);
    });
    const tdd = { ...tddFor({ ...onJobManager, jobGraph: { ...onJobManager.jobGraph, jobConfiguration: { 'restart-strategy.type': 'none' } } }, newFlinkId(), 1), parallelism: 3 };
    const job = await library.load(tdd);
    expect(seen).toEqual([{ jobId, jobName: onJobManager.jobGraph.jobName, parallelism: 3, jobConfiguration: { 'restart-strategy.type': 'none' } }]);
    const mapVertex = onJobManager.jobGraph.vertices[1]!;
    const resolved = resolveTaskVertex(job, tdd);
    expect(resolved.vertex.operators.map((o) => o.id)).toEqual(mapVertex.operators.map((o) => o.id));
  });

  it('fails the task clearly when the job file builds another graph than on the JobManager', async () => {
    const jobId = newFlinkId();
    const onJobManager = build(jobId, { parallelism: 3 });
    // A job file that ignores what it is given (say it reads the host's CPU count) builds parallelism 1 here.
    const library = new JobLibrary({ get: async () => '/jobs/j.mjs' }, async () => build(jobId, {}));
    const tdd = tddFor(onJobManager, newFlinkId(), 1);
    await expect(library.load(tdd)).rejects.toThrow(JobGraphMismatchError);
    await expect(library.load(tdd)).rejects.toThrow(/Job file j\.ts \(args \[\], default parallelism 3\) built another job graph on this TaskManager than on the JobManager/);
  });
});
