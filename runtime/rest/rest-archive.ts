import { z } from 'zod';
import { isReply, type RouteSpec } from '../../rm/common/route.ts';
import type { ArchivedJson } from '../history/job-archive.ts';
import { flinkRestRoutes } from './flink-rest-routes.ts';
import { flinkRestHandlers, type FlinkRestOptions } from './flink-rest-router.ts';
import { createJobDetails } from '../protocol/webmonitor.ts';

/** A route is archived per job when it is a GET under `/jobs/:jobid` whose only params are the job and a vertex. */
const ARCHIVABLE_PARAMS = new Set(['jobid', 'vertexid']);

function paramNames(spec: RouteSpec): string[] {
  return spec.params instanceof z.ZodObject ? Object.keys(spec.params.shape) : [];
}

/** Metric handlers read the MetricFetcher, not the graph: Flink does not archive them (they are no JsonArchivist). */
const METRIC_ROUTES = new Set<string>(['jobVertexWatermarks', 'jobVertexMetrics', 'jobVertexSubtasksMetrics', 'jobWatermarks'] satisfies (keyof typeof flinkRestRoutes)[]);

const archivedRoutes = Object.entries(flinkRestRoutes as Record<string, RouteSpec>).filter(
  ([name, spec]) => spec.method === 'GET' && spec.path.startsWith('/jobs/:jobid') && paramNames(spec).every((p) => ARCHIVABLE_PARAMS.has(p)) && !METRIC_ROUTES.has(name),
);

/**
 * A finished job's REST answers, as Flink's JsonArchivist handlers produce them for the history
 * server: `/jobs/overview` with this job alone, then every job-scoped GET of the route table
 * (details, plan, exceptions, status, execution result, JobManager config) and every vertex-scoped
 * one for each vertex, answered by the same handlers the JobManager serves them with. A route
 * added to the table is archived without changes here.
 */
export async function archivedRestResponses(options: FlinkRestOptions, jobId: string): Promise<ArchivedJson[]> {
  const graph = (await options.dispatcher.requestJob(jobId)).archivedExecutionGraph;
  const handlers = flinkRestHandlers(options) as unknown as Record<string, (input: unknown) => unknown>;
  const entries: ArchivedJson[] = [{ path: '/jobs/overview', json: JSON.stringify({ jobs: [createJobDetails(graph, options.clock.now())] }) }];
  const vertexIds = graph.verticesInTopologicalOrder.map((v) => v.id);
  for (const [name, spec] of archivedRoutes) {
    const perVertex = paramNames(spec).includes('vertexid');
    for (const vertexid of perVertex ? vertexIds : [undefined]) {
      const params = vertexid === undefined ? { jobid: jobId } : { jobid: jobId, vertexid };
      const query: unknown = spec.query ? spec.query.parse({}) : {};
      let result: unknown;
      try {
        result = await handlers[name]!({ params, query, body: undefined, caller: undefined, origin: '' });
      } catch (err) {
        options.logger.debug({ jobId, route: spec.path, err: (err as Error).message }, 'not archived: the handler failed');
        continue;
      }
      const body = isReply(result) ? result.body : result;
      if (body === undefined) continue;
      const path = spec.path.replace(':jobid', jobId).replace(':vertexid', vertexid ?? '');
      entries.push({ path, json: JSON.stringify(body) });
    }
  }
  return entries;
}
