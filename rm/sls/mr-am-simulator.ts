import { ContainerExitStatus, type ContainerStatus } from '../protocol/records.ts';
import type { SimContainerRecord } from './job-record.ts';
import { PRIORITY_MAP, PRIORITY_REDUCE } from './sls-trace.ts';
import type { TaskSpec } from './sls-job.ts';
import { TaskAmSimulator } from './task-am-simulator.ts';

/**
 * MRAMSimulator (`am.type` mapreduce): asks for every map at once (priority 20), and for the
 * reduces (priority 10) only when all maps are done (no slow start, as SLS). A container handed
 * out runs the next scheduled task for its duration; a task whose container ends unsuccessfully
 * is asked for again. The job is done when every map and reduce succeeded.
 */
export class MrAmSimulator extends TaskAmSimulator {
  private maps: TaskSpec[] = [];
  private reduces: TaskSpec[] = [];
  private mapsDone = 0;
  private reducesDone = 0;
  private phase: 'map' | 'reduce' = 'map';

  protected submission() {
    return { name: `sls-mapreduce-${this.job.id}`, type: 'MAPREDUCE', amResource: this.job.amResource };
  }

  protected onRegistered(): void {
    for (const t of this.fitting(this.job.tasks)) (t.type === 'reduce' ? this.reduces : this.maps).push(t);
    this.phase = this.maps.length > 0 ? 'map' : 'reduce';
    this.askPhase(this.phase === 'map' ? this.maps : this.reduces);
  }

  private get priority(): number {
    return this.phase === 'map' ? PRIORITY_MAP : PRIORITY_REDUCE;
  }

  private askPhase(tasks: readonly TaskSpec[]): void {
    if (tasks.length === 0) {
      this.finishIfDone();
      return;
    }
    this.askTasks(tasks, this.priority);
  }

  protected onCompleted(status: ContainerStatus, _rec: SimContainerRecord | undefined): void {
    const task = this.taskOf(status);
    if (!task) return;
    if (status.exitStatus !== ContainerExitStatus.SUCCESS) {
      this.askTasks([task], this.priority);
      return;
    }
    if (task.type === 'reduce') this.reducesDone++;
    else this.mapsDone++;
    if (this.phase === 'map' && this.mapsDone >= this.maps.length) {
      this.phase = 'reduce';
      this.askPhase(this.reduces);
      return;
    }
    this.finishIfDone();
  }

  private finishIfDone(): void {
    if (this.mapsDone >= this.maps.length && this.reducesDone >= this.reduces.length) this.finish();
  }

  protected override progress(): number {
    const total = this.maps.length + this.reduces.length;
    return total === 0 ? 1 : (this.mapsDone + this.reducesDone) / total;
  }
}
