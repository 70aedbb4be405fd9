import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { ExecutionGraph } from '../../../../runtime/executiongraph/execution-graph.ts';
import { aggregateExecutionState, emptyStateCounts } from '../../../../runtime/executiongraph/execution-job-vertex.ts';
import { JOB_FILE, pipeline } from '../jobmaster/test-job-graphs.ts';

describe('ExecutionGraph', () => {
  it('expands each JobVertex into parallel subtasks with attempt 0', () => {
    const graph = new ExecutionGraph({ jobGraph: pipeline(3), jobFile: JOB_FILE, clock: new ManualClock(), logger: createSilentLogger() });
    expect(graph.verticesInTopologicalOrder.map((v) => v.taskVertices.length)).toEqual([3, 3, 1]);
    expect(graph.verticesInTopologicalOrder[1]!.taskVertices[2]!.taskName).toBe('Keyed Map (3/3)');
    expect(graph.currentExecutions().every((e) => e.attemptNumber === 0 && e.state === 'CREATED')).toBe(true);
    expect(graph.status).toBe('INITIALIZING');
    // The source produces one partition per output edge (edge 0), the map for edge 1.
    expect([...graph.verticesInTopologicalOrder[0]!.taskVertices[0]!.currentExecution.producedPartitions.keys()]).toEqual([0]);
    expect([...graph.verticesInTopologicalOrder[1]!.taskVertices[0]!.currentExecution.producedPartitions.keys()]).toEqual([1]);
  });

  it('a reset creates attempt n+1 and forgets the old attempt ids (fencing)', () => {
    const graph = new ExecutionGraph({ jobGraph: pipeline(2), jobFile: JOB_FILE, clock: new ManualClock(), logger: createSilentLogger() });
    const old = graph.currentExecutions();
    for (const e of old) e.handle({ type: 'CANCEL' });
    graph.resetAllForNewExecution();
    const fresh = graph.currentExecutions();
    expect(fresh.map((e) => e.attemptNumber)).toEqual([1, 1, 1, 1, 1]);
    expect(graph.findCurrentExecution(old[0]!.attemptId)).toBeUndefined();
    expect(graph.findCurrentExecution(fresh[0]!.attemptId)?.execution).toBe(fresh[0]);
    expect(graph.verticesInTopologicalOrder[0]!.taskVertices[0]!.priorExecutions).toEqual([old[0]]);
  });

  it('aggregates a vertex state from its subtasks as Flink does', () => {
    const counts = emptyStateCounts();
    counts.FINISHED = 1;
    counts.RUNNING = 1;
    expect(aggregateExecutionState(counts, 2)).toBe('RUNNING');
    counts.RUNNING = 0;
    expect(aggregateExecutionState(counts, 2)).toBe('RUNNING');
    counts.FINISHED = 2;
    expect(aggregateExecutionState(counts, 2)).toBe('FINISHED');
    counts.FAILED = 1;
    expect(aggregateExecutionState(counts, 3)).toBe('FAILED');
  });
});
