import type { Container, ContainerStatus, Resource } from '../protocol/records.ts';
import { AmSimulator } from './am-simulator.ts';
import { formatResource } from './sls-format.ts';
import type { TaskSpec } from './sls-job.ts';
import { packageRequests, sumResources } from './task-asks.ts';

/**
 * An AM that runs trace tasks in containers (MRAMSimulator, StreamAMSimulator): tasks asked for
 * wait in ask order, each container handed out runs the next of them for its duration.
 */
export abstract class TaskAmSimulator extends AmSimulator {
  /** Asked for and not yet given a container, in ask order. */
  private scheduled: TaskSpec[] = [];
  private readonly assigned = new Map<string, TaskSpec>();

  /** The tasks that fit the maximum allocation; the others are reported and skipped. */
  protected fitting(tasks: readonly TaskSpec[]): TaskSpec[] {
    const out: TaskSpec[] = [];
    for (const [i, t] of tasks.entries()) {
      if (this.fits(t.resource)) out.push(t);
      else this.record.skipped.push(`task ${i} (${t.type} ${formatResource(t.resource)}) is larger than the maximum allocation ${formatResource(this.maximumCapability)}`);
    }
    return out;
  }

  /** Adds tasks to those waiting and asks again for all of them. */
  protected askTasks(tasks: readonly TaskSpec[], priority: number): void {
    this.scheduled.push(...tasks);
    this.ask(packageRequests(this.scheduled, priority));
  }

  protected override outstanding(): Resource {
    return sumResources(this.scheduled);
  }

  protected onAllocated(container: Container): void {
    const task = this.scheduled.shift();
    if (!task) {
      // More than asked (an ask raced an allocation): hand it back.
      this.release([container.id]);
      return;
    }
    this.assigned.set(container.id, task);
    this.launch(container, 'task', task.type, task.durationMs);
  }

  /** The task a completed container ran, if it ran one of ours. */
  protected taskOf(status: ContainerStatus): TaskSpec | undefined {
    const task = this.assigned.get(status.containerId);
    if (task) this.assigned.delete(status.containerId);
    return task;
  }
}
