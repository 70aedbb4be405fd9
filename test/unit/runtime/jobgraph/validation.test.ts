import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../../../runtime/api/stream-execution-environment.ts';
import { generateJobGraph } from '../../../../runtime/jobgraph/job-graph-generator.ts';
import { jobGraphFromJSON, jobGraphToJSON } from '../../../../runtime/jobgraph/job-graph.ts';
import { isHexId } from '../../../../runtime/jobgraph/job-id.ts';
import { StreamGraph } from '../../../../runtime/jobgraph/stream-graph.ts';

describe('JobGraph validation', () => {
  it('refuses a cycle and names an operator on it', () => {
    const graph = new StreamGraph({ jobName: 'cyclic' });
    const source = graph.addNode({ type: 'Sequence Source', role: 'source', parallelism: 1 });
    const a = graph.addNode({ type: 'Map', role: 'operator', parallelism: 1, uid: 'a' });
    const b = graph.addNode({ type: 'Filter', role: 'operator', parallelism: 1 });
    const sink = graph.addNode({ type: 'Print to Std. Out', role: 'sink', parallelism: 1 });
    graph.addEdge(source, a);
    graph.addEdge(a, b);
    graph.addEdge(b, a);
    graph.addEdge(b, sink);
    expect(() => generateJobGraph(graph)).toThrow("Operator 'Map (uid=a)' is part of a cycle: 'Map (uid=a)' -> 'Filter' -> 'Map (uid=a)'");
  });

  it('refuses an operator that no source feeds', () => {
    const graph = new StreamGraph({ jobName: 'orphan' });
    const source = graph.addNode({ type: 'Sequence Source', role: 'source', parallelism: 1 });
    const sink = graph.addNode({ type: 'Print to Std. Out', role: 'sink', parallelism: 1 });
    graph.addEdge(source, sink);
    const orphan = graph.addNode({ type: 'Map', role: 'operator', parallelism: 1, uid: 'foo' });
    graph.addEdge(orphan, sink);
    expect(() => generateJobGraph(graph)).toThrow("Operator 'Map (uid=foo)' is not connected to any source");
  });

  it('refuses an operator whose output goes nowhere (fluent API)', () => {
    const env = new StreamExecutionEnvironment();
    const numbers = env.fromSequence(1, 3);
    numbers.print();
    numbers.map((x) => x * 2).uid('doubler');
    expect(() => env.buildJob()).toThrow(/Operator 'Map \(uid=doubler\)' is not connected to any sink/);
  });

  it('refuses an empty job', () => {
    expect(() => new StreamExecutionEnvironment().buildJob()).toThrow(/No operators defined/);
  });

  it('refuses parallelism above max parallelism, naming the operator', () => {
    const env = new StreamExecutionEnvironment();
    env.fromSequence(1, 3).map((x) => x).name('wide').setParallelism(8).setMaxParallelism(4).print();
    expect(() => env.buildJob()).toThrow("The parallelism (8) of operator 'wide' is larger than its max parallelism (4)");
    const env2 = new StreamExecutionEnvironment({ parallelism: 4, maxParallelism: 2 });
    env2.fromSequence(1, 3).print();
    expect(() => env2.buildJob()).toThrow(/The parallelism \(4\) of operator 'Source: Sequence Source' is larger than its max parallelism \(2\)/);
  });

  it('refuses duplicate uids', () => {
    const env = new StreamExecutionEnvironment();
    env.fromSequence(1, 3).uid('x').map((v) => v).uid('x').print();
    expect(() => env.buildJob()).toThrow(/Hash collision on user-specified ID "x"/);
  });

  it('refuses configuring a virtual stream', () => {
    const env = new StreamExecutionEnvironment();
    expect(() => env.fromSequence(1, 3).rebalance().setParallelism(2)).toThrow(/setParallelism\(\) applies to an operator/);
  });
});

describe('JobGraph', () => {
  const build = (): ReturnType<StreamExecutionEnvironment['buildJob']> => {
    const env = new StreamExecutionEnvironment({ parallelism: 3 });
    env.fromSequence(1, 100).map((x) => ({ k: x % 7, v: x })).keyBy((r) => r.k).sum('v').uid('summer').collect('out');
    return env.buildJob({ jobName: 'roundtrip' });
  };

  it('has a 32-hex job id, vertex ids and operator ids; default max parallelism 128', () => {
    const { jobGraph } = build();
    expect(isHexId(jobGraph.jobId)).toBe(true);
    for (const v of jobGraph.vertices) {
      expect(isHexId(v.id)).toBe(true);
      expect(v.id).toBe(v.operators[0]?.id);
      expect(v.maxParallelism).toBe(128);
    }
  });

  it('round-trips through JSON', () => {
    const { jobGraph } = build();
    const text = JSON.stringify(jobGraphToJSON(jobGraph));
    expect(jobGraphFromJSON(JSON.parse(text))).toEqual(jobGraph);
    expect(jobGraphFromJSON(text)).toEqual(jobGraph);
    expect(JSON.parse(text)).toMatchObject({
      jobName: 'roundtrip',
      vertices: [{ name: 'Source: Sequence Source -> Map', parallelism: 3 }, { name: 'Keyed Aggregation -> Sink: Collect Sink' }],
      edges: [{ partitioner: 'HASH' }],
    });
  });

  it('refuses malformed JSON graphs', () => {
    const json = jobGraphToJSON(build().jobGraph) as { edges: { target: string }[]; jobId: string };
    expect(() => jobGraphFromJSON({ ...json, jobId: 'nope' })).toThrow();
    const broken = structuredClone(json);
    (broken.edges[0] as { target: string }).target = '0'.repeat(32);
    expect(() => jobGraphFromJSON(broken)).toThrow(/unknown vertex/);
  });

  it('derives operator ids from the uid alone, or from the path', () => {
    const a = build();
    const b = build();
    expect(b.jobGraph.vertices.map((v) => v.operators.map((o) => o.id))).toEqual(a.jobGraph.vertices.map((v) => v.operators.map((o) => o.id)));
    expect(a.jobGraph.jobId).not.toBe(b.jobGraph.jobId);
    // A uid-ed operator keeps its id when the rest of the job changes.
    const env = new StreamExecutionEnvironment({ parallelism: 3 });
    env.fromSequence(1, 100).filter(() => true).map((x) => ({ k: x % 7, v: x })).keyBy((r) => r.k).sum('v').uid('summer').collect('out');
    const changed = env.buildJob().jobGraph;
    const summer = (g: typeof changed): string | undefined => g.vertices.flatMap((v) => v.operators).find((o) => o.uid === 'summer')?.id;
    expect(summer(changed)).toBe(summer(a.jobGraph));
    expect(changed.vertices[0]?.id).toBe(a.jobGraph.vertices[0]?.id); // same source path
  });
});
