import type { Resource } from '../protocol/records.ts';
import { formatResource } from './resource-calculator.ts';

/**
 * Why an application still waits after a pass, in YARN's words where YARN has them, followed by
 * what would change the outcome. Shown in the app's diagnostics while it is ACCEPTED.
 */
export const NOT_ACTIVATED = 'Application is added to the scheduler and is not yet activated.';
export const AM_WAITING = 'Application is Activated, waiting for resources to be assigned for AM.';

export const NO_RUNNING_NODES = 'No NodeManager is RUNNING; start one or check why registered nodes are unhealthy or lost.';

export function clusterEmpty(): string {
  return `Skipping AM assignment as cluster resource is empty. ${NO_RUNNING_NODES}`;
}

export function noNodeFits(request: Resource, largestFree: Resource, largestNode: Resource, anyNodeCanHold: boolean): string {
  if (!anyNodeCanHold) {
    return (
      `No node is big enough for ${formatResource(request)}: the largest node has ${formatResource(largestNode)}. ` +
      'Lower the request or add a node with more resources (yarn.nodemanager.resource.memory-mb / cpu-vcores).'
    );
  }
  return (
    `Waiting for resources: no node has ${formatResource(request)} free ` +
    `(largest free on one node: ${formatResource(largestFree)}). It will be placed when running containers finish or nodes are added.`
  );
}

export function unknownQueueOfApp(queue: string): string {
  return `The application's queue '${queue}' is not a leaf queue of the current scheduler configuration; move it to an existing leaf queue.`;
}
