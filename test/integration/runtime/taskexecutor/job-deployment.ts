import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { compileJobFile } from '../../../../runtime/api/job-file-compiler.ts';
import { loadJob, writeCompiledJobFile } from '../../../../runtime/api/job-loader.ts';
import { inputEdges, jobGraphFingerprint, outputEdges, type JobGraph } from '../../../../runtime/jobgraph/job-graph.ts';
import { computeKeyGroupRangeForOperatorIndex } from '../../../../runtime/jobgraph/key-groups.ts';
import { connectedConsumers } from '../../../../runtime/jobgraph/partitioner.ts';
import { newFlinkId, type TaskManagerLocation } from '../../../../runtime/protocol/records.ts';
import type { TaskDeploymentDescriptor } from '../../../../runtime/protocol/task-deployment-descriptor.ts';

const compiledDir = mkdtempSync(join(tmpdir(), 'weft-compiled-'));
afterAll(() => rmSync(compiledDir, { recursive: true, force: true }));

/** The job file compiled as `weft run` ships it: what a fake JobManager serves as the blob. */
export async function compiledJobFile(path: string): Promise<string> {
  return writeCompiledJobFile(compiledDir, await compileJobFile(path));
}

export interface PlacedTask {
  readonly tdd: TaskDeploymentDescriptor;
  readonly location: TaskManagerLocation;
  readonly vertexName: string;
}

/**
 * What a JobMaster's scheduler would do, by hand: loads the job file, and makes one TDD per
 * subtask, subtask i of every vertex going to slot `allocations[i]` (slot sharing).
 */
export async function deployJob(options: {
  readonly jobId: string;
  readonly file: string;
  readonly blobKey: string;
  readonly args: readonly string[];
  readonly jobMasterAddress: string;
  /** Per subtask index: where it runs. */
  readonly slots: readonly { readonly location: TaskManagerLocation; readonly allocationId: string }[];
}): Promise<{ jobId: string; graph: JobGraph; tasks: PlacedTask[] }> {
  const jobId = options.jobId;
  const { jobGraph: graph } = await loadJob(options.file, options.args, { jobId });
  // partitionId[vertexId][producerSubtask][edgeIndex]
  const partitionIds = new Map<string, string[][]>();
  for (const v of graph.vertices) partitionIds.set(v.id, Array.from({ length: v.parallelism }, () => outputEdges(graph, v.id).map(() => newFlinkId())));
  const tasks: PlacedTask[] = [];
  for (const vertex of graph.vertices) {
    for (let i = 0; i < vertex.parallelism; i++) {
      const slot = options.slots[i]!;
      const range = computeKeyGroupRangeForOperatorIndex(vertex.maxParallelism, vertex.parallelism, i);
      const tdd: TaskDeploymentDescriptor = {
        jobId,
        jobName: graph.jobName,
        jobVertexId: vertex.id,
        taskName: vertex.name,
        executionAttemptId: newFlinkId(),
        attemptNumber: 0,
        subtaskIndex: i,
        parallelism: vertex.parallelism,
        maxParallelism: vertex.maxParallelism,
        keyGroupRange: { start: range.startKeyGroup, end: range.endKeyGroup },
        allocationId: slot.allocationId,
        jobFile: { blobKey: options.blobKey, fileName: 'keyed-sum-job.mjs', args: [...options.args] },
        jobInformation: { executionConfig: graph.executionConfig ?? { parallelism: 1 }, jobConfiguration: {}, graphFingerprint: jobGraphFingerprint(graph) },
        operatorIds: vertex.operators.map((o) => o.id),
        inputGates: inputEdges(graph, vertex.id).map((edge) => {
          const producer = graph.vertices.find((v) => v.id === edge.source)!;
          const edgeIndex = outputEdges(graph, producer.id).indexOf(edge);
          const channels = [];
          for (let p = 0; p < producer.parallelism; p++) {
            const consumers = connectedConsumers(edge.partitioner, producer.parallelism, vertex.parallelism, p);
            const sub = consumers.indexOf(i);
            if (sub < 0) continue;
            channels.push({ partitionId: partitionIds.get(producer.id)![p]![edgeIndex]!, producerSubtaskIndex: p, subpartitionIndex: sub, location: options.slots[p]!.location });
          }
          return { sourceVertexId: producer.id, partitioner: edge.partitioner, channels, ...(edge.typeNumber === undefined ? {} : { typeNumber: edge.typeNumber }) };
        }),
        resultPartitions: outputEdges(graph, vertex.id).map((edge, edgeIndex) => {
          const consumer = graph.vertices.find((v) => v.id === edge.target)!;
          return {
            partitionId: partitionIds.get(vertex.id)![i]![edgeIndex]!,
            targetVertexId: edge.target,
            partitioner: edge.partitioner,
            numberOfSubpartitions: connectedConsumers(edge.partitioner, vertex.parallelism, consumer.parallelism, i).length,
          };
        }),
        jobMasterAddress: options.jobMasterAddress,
        bufferTimeoutMs: 100,
      };
      tasks.push({ tdd, location: slot.location, vertexName: vertex.name });
    }
  }
  return { jobId, graph, tasks };
}
