import { inputEdges } from '../../jobgraph/job-graph.ts';
import type { SubtaskInfo } from '../operator-chain.ts';
import { OneInputStreamTask } from './one-input-stream-task.ts';
import { SourceStreamTask } from './source-stream-task.ts';
import type { StreamTask, StreamTaskEnvironment } from './stream-task.ts';
import { TwoInputStreamTask } from './two-input-stream-task.ts';

/**
 * The task class for a vertex (Flink's invokable class): a source head, a head fed by edges that
 * name their input (typeNumber, a two-input operator), or one input.
 */
export function createStreamTask(
  info: Pick<SubtaskInfo, 'jobGraph' | 'vertex' | 'subtaskIndex'>,
  environment: StreamTaskEnvironment,
  name = `${info.vertex.name} (${info.subtaskIndex + 1}/${info.vertex.parallelism})`,
): StreamTask {
  if (info.vertex.operators[0]?.role === 'source') return new SourceStreamTask(name, environment);
  if (inputEdges(info.jobGraph, info.vertex.id).some((e) => e.typeNumber !== undefined)) return new TwoInputStreamTask(name, environment);
  return new OneInputStreamTask(name, environment);
}
