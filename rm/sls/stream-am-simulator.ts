import type { ContainerStatus } from '../protocol/records.ts';
import type { SimContainerRecord } from './job-record.ts';
import { PRIORITY_MAP } from './sls-trace.ts';
import { TaskAmSimulator } from './task-am-simulator.ts';

/**
 * StreamAMSimulator (`am.type` stream): a long-running application that keeps all its stream
 * containers up. It asks for all of them at once (priority 20); a container that ends, for any
 * reason, is asked for again; `job.end.ms − job.start.ms` after submission the application
 * stops and unregisters, and the RM ends the containers still running.
 */
export class StreamAmSimulator extends TaskAmSimulator {
  protected submission() {
    return { name: `sls-stream-${this.job.id}`, type: 'YARN', amResource: this.job.amResource };
  }

  protected onRegistered(): void {
    const tasks = this.fitting(this.job.tasks);
    const duration = Math.max(0, this.job.endMs - this.job.startMs);
    const stopAt = this.env.origin + (this.record.submitMs ?? 0) + duration;
    this.later(stopAt, () => this.finish());
    if (tasks.length > 0) this.askTasks(tasks, PRIORITY_MAP);
  }

  protected onCompleted(status: ContainerStatus, _rec: SimContainerRecord | undefined): void {
    const task = this.taskOf(status);
    // Whatever ended it, a stream is kept running.
    if (task) this.askTasks([task], PRIORITY_MAP);
  }
}
