import { z } from 'zod';
import type { JobGraph } from '../jobgraph/job-graph.ts';

/** Flink's JSON plan (`GET /jobs/:id/plan`, and `plan` in the job details). */
export const JobPlan = z.object({
  jid: z.string(),
  name: z.string(),
  type: z.literal('STREAMING'),
  nodes: z.array(
    z.object({
      id: z.string(),
      parallelism: z.number(),
      operator: z.string(),
      operator_strategy: z.string(),
      description: z.string(),
      inputs: z.array(z.object({ num: z.number(), id: z.string(), ship_strategy: z.string(), exchange: z.string() })).optional(),
      optimizer_properties: z.record(z.string(), z.never()),
    }),
  ),
});
export type JobPlan = z.infer<typeof JobPlan>;

export function jobPlan(graph: JobGraph): JobPlan {
  return {
    jid: graph.jobId,
    name: graph.jobName,
    type: 'STREAMING',
    nodes: graph.vertices.map((v) => {
      const inputs = graph.edges
        .filter((e) => e.target === v.id)
        .map((e, num) => ({ num, id: e.source, ship_strategy: e.partitioner, exchange: 'pipelined_bounded' }));
      return {
        id: v.id,
        parallelism: v.parallelism,
        operator: '',
        operator_strategy: '',
        description: v.name,
        ...(inputs.length > 0 ? { inputs } : {}),
        optimizer_properties: {},
      };
    }),
  };
}
