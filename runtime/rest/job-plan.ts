import type { JobGraph } from '../jobgraph/job-graph.ts';

/** Flink's JSON plan (`GET /jobs/:id/plan`, and `plan` in the job details). */
export interface JobPlan {
  jid: string;
  name: string;
  type: 'STREAMING';
  nodes: {
    id: string;
    parallelism: number;
    operator: string;
    operator_strategy: string;
    description: string;
    inputs?: { num: number; id: string; ship_strategy: string; exchange: string }[];
    optimizer_properties: Record<string, never>;
  }[];
}

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
