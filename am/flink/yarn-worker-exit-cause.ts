import { ContainerExitStatus, type ContainerStatus } from '../../rm/protocol/records.ts';

/** Why a TaskManager's container completed, in Flink's words (YarnResourceManagerDriver, flink.md §2.3). */
export function workerExitCause(status: ContainerStatus): string {
  const id = status.containerId;
  const diagnostics = status.diagnostics ? ` Diagnostics: ${status.diagnostics}` : '';
  switch (status.exitStatus) {
    case ContainerExitStatus.SUCCESS:
      return `Container ${id} exited normally.${diagnostics}`;
    case ContainerExitStatus.PREEMPTED:
      return `Container ${id} was preempted by yarn.${diagnostics}`;
    case ContainerExitStatus.INVALID:
      return `Container ${id} was invalid.${diagnostics}`;
    case ContainerExitStatus.ABORTED:
      return `Container ${id} killed by YARN, either due to being released by the application or being 'lost' due to node failures etc.${diagnostics}`;
    case ContainerExitStatus.DISKS_FAILED:
      return `Container ${id} is failed because threshold number of the nodemanager-local-directories or threshold number of the nodemanager-log-directories have become bad.${diagnostics}`;
    default:
      return `Container ${id} marked as failed.\n Exit code:${status.exitStatus}.${diagnostics}`;
  }
}
