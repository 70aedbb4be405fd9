import type { SubtaskInfo } from '../operator-chain.ts';
import { OneInputStreamTask } from './one-input-stream-task.ts';
import { SourceStreamTask } from './source-stream-task.ts';
import type { StreamTask, StreamTaskEnvironment } from './stream-task.ts';

/** The task class for a vertex, by the role of its chain's head (Flink's invokable class). */
export function createStreamTask(
  info: Pick<SubtaskInfo, 'vertex' | 'subtaskIndex'>,
  environment: StreamTaskEnvironment,
  name = `${info.vertex.name} (${info.subtaskIndex + 1}/${info.vertex.parallelism})`,
): StreamTask {
  return info.vertex.operators[0]?.role === 'source' ? new SourceStreamTask(name, environment) : new OneInputStreamTask(name, environment);
}
