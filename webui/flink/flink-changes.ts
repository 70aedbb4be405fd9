import type { ArchivedExecutionGraph } from '../../runtime/executiongraph/archived-execution-graph.ts';
import type { DispatcherGateway } from '../../runtime/protocol/dispatcher-gateway.ts';
import type { TaskManagerInfoWithSlots } from '../../runtime/protocol/resource-manager-gateway.ts';
import { vertexWatermarkInfo } from '../../runtime/rest/job-watermarks-info.ts';

/**
 * A change notice of the JobManager's dashboard hub, one per entity (latest state):
 * - `job` — id `<jobId>`, state the JobStatus;
 * - `task` — id `<jobId>/<vertexId>/<subtask>`, state the current execution's ExecutionState
 *   (`#<attempt>` appended after a restart, so a new attempt in the same state still shows);
 * - `taskmanager` — id `<resourceId>`, state `REGISTERED` or `LOST`;
 * - `slot` — id `<resourceId>/<slotNumber>`, state the job id holding it or `FREE`;
 * - `watermark` — id `<jobId>/<vertexId>`, state the vertex's lowest watermark and who holds it
 *   back (job-watermarks-info.ts), so the job page re-reads as watermarks advance.
 * Pages treat a notice as a hint of which Flink REST resources to re-read.
 */
export interface FlinkChange {
  readonly kind: 'job' | 'task' | 'taskmanager' | 'slot' | 'watermark';
  readonly id: string;
  readonly state: string;
}

/** Where the hub looks: the Dispatcher's job snapshots and the Flink ResourceManager's TaskManagers. */
export interface FlinkStateSources {
  readonly dispatcher: Pick<DispatcherGateway, 'requestMultipleJobDetails' | 'requestJob'>;
  readonly taskManagers: () => readonly TaskManagerInfoWithSlots[];
}

/** Every job's archived execution graph; a job gone between the two calls is left out. */
export async function jobSnapshots(dispatcher: FlinkStateSources['dispatcher']): Promise<ArchivedExecutionGraph[]> {
  const { jobs } = await dispatcher.requestMultipleJobDetails();
  const graphs = await Promise.all(jobs.map((j) => dispatcher.requestJob(j.jid).then((info) => info.archivedExecutionGraph, () => undefined)));
  return graphs.filter((g) => g !== undefined);
}

/** Every entity the dashboard shows with its current state, keyed by `kind/id`. */
export type FlinkSnapshot = Map<string, FlinkChange>;

const keyOf = (c: FlinkChange): string => `${c.kind}\u0000${c.id}`;

export async function flinkSnapshot(sources: FlinkStateSources): Promise<FlinkSnapshot> {
  const out: FlinkSnapshot = new Map();
  const put = (c: FlinkChange): void => {
    out.set(keyOf(c), c);
  };
  const jobs = await jobSnapshots(sources.dispatcher);
  for (const g of jobs) {
    put({ kind: 'job', id: g.jobId, state: g.status });
    for (const jv of g.verticesInTopologicalOrder) {
      for (const v of jv.taskVertices) {
        const e = v.currentExecution;
        put({ kind: 'task', id: `${g.jobId}/${jv.id}/${v.subtaskIndex}`, state: e.attemptNumber > 0 ? `${e.state}#${e.attemptNumber}` : e.state });
      }
      const wm = vertexWatermarkInfo(g, jv);
      if (wm['low-watermark'] !== null) {
        const held = wm['held-back-by'];
        const who = held ? `${held.subtask}<${held.input ? `${held.input['vertex-id']}/${held.input.subtask}` : ''}` : '';
        put({ kind: 'watermark', id: `${g.jobId}/${jv.id}`, state: `${wm['low-watermark']} ${wm.status ?? ''} ${who}` });
      }
    }
  }
  for (const tm of sources.taskManagers()) {
    put({ kind: 'taskmanager', id: tm.resourceId, state: 'REGISTERED' });
    const bySlot = new Map(tm.allocatedSlots.map((s) => [s.slotNumber, s.jobId]));
    for (let i = 0; i < tm.numberOfSlots; i++) put({ kind: 'slot', id: `${tm.resourceId}/${i}`, state: bySlot.get(i) ?? 'FREE' });
  }
  return out;
}

/** What changed from `before` to `after`: new or changed entities, and vanished ones as LOST/FREE/GONE. */
export function diffSnapshots(before: FlinkSnapshot, after: FlinkSnapshot): FlinkChange[] {
  const changes: FlinkChange[] = [];
  for (const [key, c] of after) if (before.get(key)?.state !== c.state) changes.push(c);
  for (const [key, c] of before) {
    if (after.has(key)) continue;
    changes.push({ kind: c.kind, id: c.id, state: c.kind === 'taskmanager' ? 'LOST' : c.kind === 'slot' ? 'FREE' : 'GONE' });
  }
  return changes;
}
