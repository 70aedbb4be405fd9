import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../../../runtime/api/stream-execution-environment.ts';
import type { JobGraph } from '../../../../runtime/jobgraph/job-graph.ts';

function names(graph: JobGraph): string[] {
  return graph.vertices.map((v) => v.name);
}

function build(configure: (env: StreamExecutionEnvironment) => void, parallelism = 2): JobGraph {
  const env = new StreamExecutionEnvironment({ parallelism });
  configure(env);
  return env.buildJob({ jobName: 'test' }).jobGraph;
}

describe('operator chaining', () => {
  it('chains a forward pipeline of equal parallelism into one vertex with Flink-style name', () => {
    const graph = build((env) => env.fromSequence(1, 10).map((x) => x + 1).filter((x) => x > 2).print());
    expect(names(graph)).toEqual(['Source: Sequence Source -> Map -> Filter -> Sink: Print to Std. Out']);
    expect(graph.vertices[0]?.operators.map((o) => o.type)).toEqual(['Sequence Source', 'Map', 'Filter', 'Print to Std. Out']);
    expect(graph.edges).toEqual([]);
  });

  it('uses operator names set with name()', () => {
    const graph = build((env) => env.fromSequence(1, 10).name('numbers').map((x) => x).name('double').print().name('out'));
    expect(names(graph)).toEqual(['Source: numbers -> double -> Sink: out']);
  });

  it('breaks the chain at a keyBy (HASH edge)', () => {
    const graph = build((env) => env.fromSequence(1, 10).map((x) => x).keyBy((x) => x % 2).sum().print());
    expect(names(graph)).toEqual(['Source: Sequence Source -> Map', 'Keyed Aggregation -> Sink: Print to Std. Out']);
    expect(graph.edges.map((e) => e.partitioner)).toEqual(['HASH']);
    expect(graph.edges[0]?.keySelector).toBeDefined();
  });

  it('breaks the chain at rebalance, broadcast and rescale', () => {
    for (const [method, partitioner] of [['rebalance', 'REBALANCE'], ['broadcast', 'BROADCAST'], ['rescale', 'RESCALE']] as const) {
      const graph = build((env) => env.fromSequence(1, 10)[method]().map((x) => x).print());
      expect(names(graph)).toEqual(['Source: Sequence Source', 'Map -> Sink: Print to Std. Out']);
      expect(graph.edges[0]?.partitioner).toBe(partitioner);
    }
  });

  it('breaks the chain on different parallelism (and uses REBALANCE by default)', () => {
    const graph = build((env) => env.fromSequence(1, 10).map((x) => x).setParallelism(3).print());
    expect(names(graph)).toEqual(['Source: Sequence Source', 'Map', 'Sink: Print to Std. Out']);
    expect(graph.edges.map((e) => e.partitioner)).toEqual(['REBALANCE', 'REBALANCE']);
    expect(graph.vertices.map((v) => v.parallelism)).toEqual([2, 3, 2]);
  });

  it('breaks the chain on a different slot sharing group, and the group is inherited downstream', () => {
    const graph = build((env) => env.fromSequence(1, 10).map((x) => x).slotSharingGroup('heavy').print());
    expect(names(graph)).toEqual(['Source: Sequence Source', 'Map -> Sink: Print to Std. Out']);
    expect(graph.vertices.map((v) => v.slotSharingGroup)).toEqual(['default', 'heavy']);
  });

  it('disableChaining() breaks the chain on both sides', () => {
    const graph = build((env) => env.fromSequence(1, 10).map((x) => x).disableChaining().filter(() => true).print());
    expect(names(graph)).toEqual(['Source: Sequence Source', 'Map', 'Filter -> Sink: Print to Std. Out']);
  });

  it('startNewChain() breaks only towards the predecessor', () => {
    const graph = build((env) => env.fromSequence(1, 10).map((x) => x).filter(() => true).startNewChain().map((x) => x).print());
    expect(names(graph)).toEqual(['Source: Sequence Source -> Map', 'Filter -> Map -> Sink: Print to Std. Out']);
  });

  it('does not chain an operator with more than one input (union)', () => {
    const graph = build((env) => {
      const a = env.fromSequence(1, 10);
      const b = env.fromSequence(11, 20);
      a.union(b).map((x) => x).print();
    });
    expect(names(graph)).toEqual(['Source: Sequence Source', 'Source: Sequence Source', 'Map -> Sink: Print to Std. Out']);
    expect(graph.edges.map((e) => e.partitioner)).toEqual(['FORWARD', 'FORWARD']);
  });

  it('env.disableOperatorChaining() turns chaining off everywhere', () => {
    const graph = build((env) => env.disableOperatorChaining().fromSequence(1, 10).map((x) => x).print());
    expect(names(graph)).toEqual(['Source: Sequence Source', 'Map', 'Sink: Print to Std. Out']);
  });

  it('names a chain with two chained outputs A -> (B, C)', () => {
    const graph = build((env) => {
      const mapped = env.fromSequence(1, 10).map((x) => x);
      mapped.print();
      mapped.collect('c');
    });
    expect(names(graph)).toEqual(['Source: Sequence Source -> Map -> (Sink: Print to Std. Out, Sink: Collect Sink)']);
  });

  it('gives non-parallel sources parallelism 1 and refuses more', () => {
    const graph = build((env) => env.fromElements(1, 2).map((x) => x).print(), 3);
    expect(graph.vertices.map((v) => [v.name, v.parallelism])).toEqual([
      ['Source: Collection Source', 1],
      ['Map -> Sink: Print to Std. Out', 3],
    ]);
    expect(() => new StreamExecutionEnvironment().fromElements(1).setParallelism(2)).toThrow(/non parallel operator 'Collection Source' must be 1/);
  });

  it('refuses forward() between different parallelisms', () => {
    expect(() => build((env) => env.fromSequence(1, 2).forward().map((x) => x).setParallelism(3).print())).toThrow(/Forward partitioning does not allow change of parallelism/);
  });
});
