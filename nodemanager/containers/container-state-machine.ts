import { IGNORE, type TransitionTable } from '../../rm/common/state-machine.ts';
import { ContainerExitStatus, type ContainerState } from '../../rm/protocol/records.ts';

/**
 * The NM-side container life cycle, after YARN's ContainerImpl: states, events and the transition
 * table. Transitions only record facts (pid, exit status, diagnostics); the ContainerManager
 * performs the effects (spawn, signal, cleanup) around them, so the table stays testable as data.
 */
export const ContainerStateName = {
  NEW: 'NEW',
  LOCALIZING: 'LOCALIZING',
  LOCALIZATION_FAILED: 'LOCALIZATION_FAILED',
  LOCALIZED: 'LOCALIZED',
  RUNNING: 'RUNNING',
  EXITED_WITH_SUCCESS: 'EXITED_WITH_SUCCESS',
  EXITED_WITH_FAILURE: 'EXITED_WITH_FAILURE',
  KILLING: 'KILLING',
  CONTAINER_CLEANEDUP_AFTER_KILL: 'CONTAINER_CLEANEDUP_AFTER_KILL',
  DONE: 'DONE',
} as const;
export type ContainerStateName = (typeof ContainerStateName)[keyof typeof ContainerStateName];

export type ContainerEvent =
  | { type: 'INIT_CONTAINER' }
  | { type: 'RESOURCE_LOCALIZED' }
  | { type: 'RESOURCE_FAILED'; diagnostics: string }
  | { type: 'CONTAINER_LAUNCHED'; pid: number }
  | { type: 'CONTAINER_EXITED_WITH_SUCCESS' }
  | { type: 'CONTAINER_EXITED_WITH_FAILURE'; exitCode: number; diagnostics: string }
  /**
   * `exitStatus` is what the status will report (-104, -105, -106, -107 ...); without one (NM
   * shutdown) the process's own exit code (143 after SIGTERM) is reported.
   */
  | { type: 'KILL_CONTAINER'; exitStatus?: number; diagnostics: string }
  | { type: 'CONTAINER_KILLED_ON_REQUEST'; exitCode: number }
  | { type: 'CONTAINER_RESOURCES_CLEANEDUP' }
  | { type: 'UPDATE_DIAGNOSTICS_MSG'; diagnostics: string };
export type ContainerEventType = ContainerEvent['type'];

/** What transitions write to; the Container class implements it. */
export interface ContainerRecord {
  pid: number | undefined;
  exitStatus: number;
  /** Set by KILL_CONTAINER: the status to report once the process is gone. */
  killExitStatus: number | undefined;
  addDiagnostics(message: string): void;
}

// Block bodies: an action's return value picks the target state, so none may leak one.
const addDiagnostics = (c: ContainerRecord, e: { diagnostics: string }): void => {
  c.addDiagnostics(e.diagnostics);
};

const requestKill = (c: ContainerRecord, e: { exitStatus?: number; diagnostics: string }): void => {
  c.killExitStatus = e.exitStatus;
  c.addDiagnostics(e.diagnostics);
};

/** Killed before a process existed: the status is final at once. */
const killBeforeRunning = (c: ContainerRecord, e: { exitStatus?: number; diagnostics: string }): void => {
  requestKill(c, e);
  c.exitStatus = e.exitStatus ?? ContainerExitStatus.ABORTED;
};

const exitedWithFailure = (c: ContainerRecord, e: { exitCode: number; diagnostics: string }): void => {
  c.exitStatus = e.exitCode;
  c.addDiagnostics(e.diagnostics);
};

/** YARN's wording when a killed container's process is gone (ContainerLaunch / ContainerImpl). */
const killedOnRequest = (c: ContainerRecord, e: { exitCode: number }): void => {
  c.exitStatus = c.killExitStatus ?? e.exitCode;
  c.addDiagnostics(`Container killed on request. Exit code is ${e.exitCode}`);
};

const S = ContainerStateName;

export const containerTransitions: TransitionTable<ContainerStateName, ContainerEvent, ContainerRecord> = {
  NEW: {
    INIT_CONTAINER: { to: S.LOCALIZING },
    KILL_CONTAINER: { to: S.DONE, action: killBeforeRunning },
    UPDATE_DIAGNOSTICS_MSG: { to: S.NEW, action: addDiagnostics },
  },
  LOCALIZING: {
    RESOURCE_LOCALIZED: { to: S.LOCALIZED },
    RESOURCE_FAILED: { to: S.LOCALIZATION_FAILED, action: addDiagnostics },
    KILL_CONTAINER: { to: S.DONE, action: killBeforeRunning },
    UPDATE_DIAGNOSTICS_MSG: { to: S.LOCALIZING, action: addDiagnostics },
  },
  LOCALIZATION_FAILED: {
    CONTAINER_RESOURCES_CLEANEDUP: { to: S.DONE },
    // Nothing runs, so there is nothing to kill; the failure diagnostics stand.
    KILL_CONTAINER: IGNORE,
    UPDATE_DIAGNOSTICS_MSG: { to: S.LOCALIZATION_FAILED, action: addDiagnostics },
  },
  LOCALIZED: {
    CONTAINER_LAUNCHED: {
      to: S.RUNNING,
      action: (c, e) => {
        c.pid = e.pid;
      },
    },
    // The spawn itself failed (no shell, no work dir).
    CONTAINER_EXITED_WITH_FAILURE: { to: S.EXITED_WITH_FAILURE, action: exitedWithFailure },
    KILL_CONTAINER: { to: S.DONE, action: killBeforeRunning },
    UPDATE_DIAGNOSTICS_MSG: { to: S.LOCALIZED, action: addDiagnostics },
  },
  RUNNING: {
    CONTAINER_EXITED_WITH_SUCCESS: {
      to: S.EXITED_WITH_SUCCESS,
      action: (c) => {
        c.exitStatus = 0;
      },
    },
    CONTAINER_EXITED_WITH_FAILURE: { to: S.EXITED_WITH_FAILURE, action: exitedWithFailure },
    // Someone else signalled the group (e.g. `kill` from a shell): a failure with that code.
    CONTAINER_KILLED_ON_REQUEST: {
      to: S.EXITED_WITH_FAILURE,
      action: (c, e) => {
        c.exitStatus = e.exitCode;
      },
    },
    KILL_CONTAINER: { to: S.KILLING, action: requestKill },
    UPDATE_DIAGNOSTICS_MSG: { to: S.RUNNING, action: addDiagnostics },
  },
  EXITED_WITH_SUCCESS: {
    CONTAINER_RESOURCES_CLEANEDUP: { to: S.DONE },
    // Too late to kill: the exit status the process produced stands (YARN does the same).
    KILL_CONTAINER: IGNORE,
    UPDATE_DIAGNOSTICS_MSG: { to: S.EXITED_WITH_SUCCESS, action: addDiagnostics },
  },
  EXITED_WITH_FAILURE: {
    CONTAINER_RESOURCES_CLEANEDUP: { to: S.DONE },
    KILL_CONTAINER: IGNORE,
    UPDATE_DIAGNOSTICS_MSG: { to: S.EXITED_WITH_FAILURE, action: addDiagnostics },
  },
  KILLING: {
    CONTAINER_KILLED_ON_REQUEST: { to: S.CONTAINER_CLEANEDUP_AFTER_KILL, action: killedOnRequest },
    // The process finished on its own between the kill request and the signal (ContainerImpl).
    CONTAINER_EXITED_WITH_SUCCESS: {
      to: S.EXITED_WITH_SUCCESS,
      action: (c) => {
        c.exitStatus = 0;
      },
    },
    CONTAINER_EXITED_WITH_FAILURE: { to: S.EXITED_WITH_FAILURE, action: exitedWithFailure },
    // A second stop (AM, then RM, then app cleanup) while the first is under way.
    KILL_CONTAINER: IGNORE,
    UPDATE_DIAGNOSTICS_MSG: { to: S.KILLING, action: addDiagnostics },
  },
  CONTAINER_CLEANEDUP_AFTER_KILL: {
    CONTAINER_RESOURCES_CLEANEDUP: { to: S.DONE },
    KILL_CONTAINER: IGNORE,
    UPDATE_DIAGNOSTICS_MSG: { to: S.CONTAINER_CLEANEDUP_AFTER_KILL, action: addDiagnostics },
  },
  DONE: {
    KILL_CONTAINER: IGNORE,
    CONTAINER_RESOURCES_CLEANEDUP: IGNORE,
    UPDATE_DIAGNOSTICS_MSG: IGNORE,
  },
};

/** The public ContainerState the RM and AMs see (ContainerImpl.getCurrentState). */
export function publicContainerState(state: ContainerStateName): ContainerState {
  switch (state) {
    case 'NEW':
    case 'LOCALIZING':
    case 'LOCALIZATION_FAILED':
    case 'LOCALIZED':
      return 'NEW';
    case 'RUNNING':
    case 'EXITED_WITH_SUCCESS':
    case 'EXITED_WITH_FAILURE':
    case 'KILLING':
    case 'CONTAINER_CLEANEDUP_AFTER_KILL':
      return 'RUNNING';
    case 'DONE':
      return 'COMPLETE';
  }
}
