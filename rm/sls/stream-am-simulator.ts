import type { Container, ContainerStatus, Resource } from '../protocol/records.ts';
import { AmSimulator } from './am-simulator.ts';
import type { ContainerRecord } from './job-record.ts';
import type { TaskSpec } from './sls-job.ts';
import { PRIORITY_MAP } from './sls-trace.ts';
import { formatResource } from './sls-format.ts';
import { packageRequests, sumResources } from './task-asks.ts';

/**
 * StreamAMSimulator (`am.type` stream): a long-running application that keeps all its stream
 * containers up. It asks for all of them at once (priority 20); a container that ends, for any
 * reason, is asked for again; `job.end.ms − job.start.ms` after submission the application
 * stops and unregisters, and the RM ends the containers still running.
 */
export class StreamAmSimulator extends AmSimulator {
  private scheduled: TaskSpec[] = [];
  private readonly assigned = new Map<string, TaskSpec>();

  protected submission() {
    return { name: `sls-stream-${this.job.id}`, type: 'YARN', amResource: this.job.amResource };
  }

  protected onRegistered(): void {
    const tasks: TaskSpec[] = [];
    for (const [i, t] of this.job.tasks.entries()) {
      if (this.fits(t.resource)) tasks.push(t);
      else this.record.skipped.push(`task ${i} (${t.type} ${formatResource(t.resource)}) is larger than the maximum allocation ${formatResource(this.maximumCapability)}`);
    }
    const duration = Math.max(0, this.job.endMs - this.job.startMs);
    const stopAt = this.env.origin + (this.record.submitMs ?? 0) + duration;
    this.later(stopAt, () => this.finish());
    if (tasks.length === 0) return;
    this.scheduled.push(...tasks);
    this.ask(packageRequests(this.scheduled, PRIORITY_MAP));
  }

  protected override outstanding(): Resource {
    return sumResources(this.scheduled);
  }

  protected onAllocated(container: Container): void {
    const task = this.scheduled.shift();
    if (!task) {
      this.release([container.id]);
      return;
    }
    this.assigned.set(container.id, task);
    this.launch(container, 'task', task.type, task.durationMs);
  }

  protected onCompleted(status: ContainerStatus, _rec: ContainerRecord | undefined): void {
    const task = this.assigned.get(status.containerId);
    if (!task) return;
    this.assigned.delete(status.containerId);
    // Whatever ended it, a stream is kept running.
    this.scheduled.push(task);
    this.ask(packageRequests(this.scheduled, PRIORITY_MAP));
  }
}
