import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../../../runtime/api/stream-execution-environment.ts';
import type { LoadedJob } from '../../../../runtime/api/job-loader.ts';
import { newFlinkId } from '../../../../runtime/protocol/records.ts';
import { JobLibrary, loadJobForTask } from '../../../../runtime/taskexecutor/job-library.ts';
import { resolveTaskVertex } from '../../../../runtime/taskexecutor/task-vertex.ts';
import { tddFor } from './task-executor-fixture.ts';

/** source (parallelism 1) -> map (default parallelism): the edge is FORWARD or REBALANCE depending on the default. */
function build(jobId: string, parallelism: number): LoadedJob {
  const env = new StreamExecutionEnvironment({ parallelism });
  env
    .fromElements(1, 2, 3)
    .setParallelism(1)
    .map((x) => x + 1)
    .collect('out');
  return { ...env.buildJob({ jobId }), path: '/jobs/j.ts', args: [] };
}

describe('JobLibrary', () => {
  it('loads a job once per job, file and args', async () => {
    let loads = 0;
    const jobId = newFlinkId();
    const library = new JobLibrary({ get: async () => '/jobs/j.ts' }, async () => {
      loads++;
      return build(jobId, 1);
    });
    const ref = { blobKey: 'b', fileName: 'j.ts', args: [] };
    const [a, b] = await Promise.all([library.load(jobId, ref), library.load(jobId, ref)]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    library.release(jobId);
    await library.load(jobId, ref);
    expect(loads).toBe(2);
  });

  it("rebuilds the graph with the task's parallelism as default when the job's own default gives other operator ids", async () => {
    const jobId = newFlinkId();
    // The JobManager built the graph with --parallelism 3: source (1) -REBALANCE-> map (3) -> sink (3).
    const onJobManager = build(jobId, 3);
    const mapVertex = onJobManager.jobGraph.vertices[1]!;
    const defaults: (number | undefined)[] = [];
    const library = new JobLibrary({ get: async () => '/jobs/j.ts' }, async (_p, _a, options) => {
      defaults.push(options.parallelism);
      return build(jobId, options.parallelism ?? 1);
    });
    const tdd = { ...tddFor({ ...onJobManager, jobGraph: { ...onJobManager.jobGraph, vertices: [mapVertex] } }, newFlinkId()), parallelism: 3 };
    const job = await loadJobForTask(library, tdd);
    expect(defaults).toEqual([undefined, 3]);
    const resolved = resolveTaskVertex(job, tdd);
    expect(resolved.vertex.operators.map((o) => o.id)).toEqual(mapVertex.operators.map((o) => o.id));
    expect(resolved.vertex.chainedEdges).toEqual(mapVertex.chainedEdges);
  });
});
