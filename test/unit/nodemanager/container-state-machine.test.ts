import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../rm/common/logger.ts';
import { IGNORE, InvalidStateTransitionError, StateMachine } from '../../../rm/common/state-machine.ts';
import {
  ContainerStateName,
  containerTransitions,
  publicContainerState,
  type ContainerEvent,
  type ContainerRecord,
} from '../../../nodemanager/containers/container-state-machine.ts';

function record(): ContainerRecord & { diagnostics: string[] } {
  const diagnostics: string[] = [];
  return { pid: undefined, exitStatus: -1000, killExitStatus: undefined, diagnostics, addDiagnostics: (m) => diagnostics.push(m) };
}

function machine(initial: ContainerStateName = 'NEW') {
  const ctx = record();
  const { logger, lines } = createMemoryLogger();
  return { ctx, lines, sm: new StateMachine<ContainerStateName, ContainerEvent, ContainerRecord>(containerTransitions, initial, ctx, 'Container', logger) };
}

const ev = {
  INIT_CONTAINER: { type: 'INIT_CONTAINER' },
  RESOURCE_LOCALIZED: { type: 'RESOURCE_LOCALIZED' },
  RESOURCE_FAILED: { type: 'RESOURCE_FAILED', diagnostics: 'no such file' },
  CONTAINER_LAUNCHED: { type: 'CONTAINER_LAUNCHED', pid: 42 },
  CONTAINER_EXITED_WITH_SUCCESS: { type: 'CONTAINER_EXITED_WITH_SUCCESS' },
  CONTAINER_EXITED_WITH_FAILURE: { type: 'CONTAINER_EXITED_WITH_FAILURE', exitCode: 3, diagnostics: 'exit 3' },
  KILL_CONTAINER: { type: 'KILL_CONTAINER', exitStatus: -105, diagnostics: 'Container killed by the ApplicationMaster.' },
  CONTAINER_KILLED_ON_REQUEST: { type: 'CONTAINER_KILLED_ON_REQUEST', exitCode: 143 },
  CONTAINER_RESOURCES_CLEANEDUP: { type: 'CONTAINER_RESOURCES_CLEANEDUP' },
  UPDATE_DIAGNOSTICS_MSG: { type: 'UPDATE_DIAGNOSTICS_MSG', diagnostics: 'note' },
} satisfies Record<ContainerEvent['type'], ContainerEvent>;

/** The legal (state, event) -> target pairs, written out independently of the table. */
const legal: [ContainerStateName, ContainerEvent['type'], ContainerStateName][] = [
  ['NEW', 'INIT_CONTAINER', 'LOCALIZING'],
  ['NEW', 'KILL_CONTAINER', 'DONE'],
  ['LOCALIZING', 'RESOURCE_LOCALIZED', 'LOCALIZED'],
  ['LOCALIZING', 'RESOURCE_FAILED', 'LOCALIZATION_FAILED'],
  ['LOCALIZING', 'KILL_CONTAINER', 'DONE'],
  ['LOCALIZATION_FAILED', 'CONTAINER_RESOURCES_CLEANEDUP', 'DONE'],
  ['LOCALIZED', 'CONTAINER_LAUNCHED', 'RUNNING'],
  ['LOCALIZED', 'CONTAINER_EXITED_WITH_FAILURE', 'EXITED_WITH_FAILURE'],
  ['LOCALIZED', 'KILL_CONTAINER', 'DONE'],
  ['RUNNING', 'CONTAINER_EXITED_WITH_SUCCESS', 'EXITED_WITH_SUCCESS'],
  ['RUNNING', 'CONTAINER_EXITED_WITH_FAILURE', 'EXITED_WITH_FAILURE'],
  ['RUNNING', 'CONTAINER_KILLED_ON_REQUEST', 'EXITED_WITH_FAILURE'],
  ['RUNNING', 'KILL_CONTAINER', 'KILLING'],
  ['EXITED_WITH_SUCCESS', 'CONTAINER_RESOURCES_CLEANEDUP', 'DONE'],
  ['EXITED_WITH_FAILURE', 'CONTAINER_RESOURCES_CLEANEDUP', 'DONE'],
  ['KILLING', 'CONTAINER_KILLED_ON_REQUEST', 'CONTAINER_CLEANEDUP_AFTER_KILL'],
  ['KILLING', 'CONTAINER_EXITED_WITH_SUCCESS', 'EXITED_WITH_SUCCESS'],
  ['KILLING', 'CONTAINER_EXITED_WITH_FAILURE', 'EXITED_WITH_FAILURE'],
  ['CONTAINER_CLEANEDUP_AFTER_KILL', 'CONTAINER_RESOURCES_CLEANEDUP', 'DONE'],
];
const ignored: [ContainerStateName, ContainerEvent['type']][] = [
  ['LOCALIZATION_FAILED', 'KILL_CONTAINER'],
  ['EXITED_WITH_SUCCESS', 'KILL_CONTAINER'],
  ['EXITED_WITH_FAILURE', 'KILL_CONTAINER'],
  ['KILLING', 'KILL_CONTAINER'],
  ['CONTAINER_CLEANEDUP_AFTER_KILL', 'KILL_CONTAINER'],
  ['DONE', 'KILL_CONTAINER'],
  ['DONE', 'CONTAINER_RESOURCES_CLEANEDUP'],
  ['DONE', 'UPDATE_DIAGNOSTICS_MSG'],
];

describe('container transition table', () => {
  it.each(legal)('%s + %s -> %s', (from, type, to) => {
    const { sm } = machine(from);
    expect(sm.handle(ev[type])).toBe(to);
  });

  it.each(ignored)('%s ignores %s on purpose', (from, type) => {
    expect(containerTransitions[from][type]).toBe(IGNORE);
    expect(machine(from).sm.handle(ev[type])).toBe(from);
  });

  it('rejects every other pair with InvalidStateTransition', () => {
    const known = new Set([...legal.map(([s, e]) => `${s}/${e}`), ...ignored.map(([s, e]) => `${s}/${e}`)]);
    let rejected = 0;
    for (const state of Object.values(ContainerStateName)) {
      for (const type of Object.keys(ev) as ContainerEvent['type'][]) {
        if (known.has(`${state}/${type}`) || (type === 'UPDATE_DIAGNOSTICS_MSG' && state !== 'DONE')) continue;
        expect(() => machine(state).sm.handle(ev[type]), `${state}/${type}`).toThrow(InvalidStateTransitionError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(50);
  });

  it('a kill while running reports the requested status and YARN\'s diagnostics once the process is gone', () => {
    const { sm, ctx, lines } = machine('RUNNING');
    sm.handle(ev.KILL_CONTAINER);
    sm.handle(ev.CONTAINER_KILLED_ON_REQUEST);
    sm.handle(ev.CONTAINER_RESOURCES_CLEANEDUP);
    expect(sm.state).toBe('DONE');
    expect(ctx.exitStatus).toBe(-105);
    expect(ctx.diagnostics).toEqual(['Container killed by the ApplicationMaster.', 'Container killed on request. Exit code is 143']);
    expect(lines()).toContainEqual(expect.objectContaining({ from: 'RUNNING', to: 'KILLING', event: 'KILL_CONTAINER' }));
  });

  it('a kill without a status (NM shutdown) reports the signal exit code', () => {
    const { sm, ctx } = machine('RUNNING');
    sm.handle({ type: 'KILL_CONTAINER', diagnostics: 'shutdown' });
    sm.handle(ev.CONTAINER_KILLED_ON_REQUEST);
    expect(ctx.exitStatus).toBe(143);
  });

  it('records pid and exit codes', () => {
    const { sm, ctx } = machine('LOCALIZED');
    sm.handle(ev.CONTAINER_LAUNCHED);
    expect(ctx.pid).toBe(42);
    sm.handle(ev.CONTAINER_EXITED_WITH_FAILURE);
    expect(ctx.exitStatus).toBe(3);
  });

  it('maps internal states to the public ContainerState', () => {
    expect(['NEW', 'LOCALIZING', 'LOCALIZED', 'LOCALIZATION_FAILED'].map((s) => publicContainerState(s as ContainerStateName))).toEqual(['NEW', 'NEW', 'NEW', 'NEW']);
    expect(['RUNNING', 'KILLING', 'EXITED_WITH_SUCCESS', 'EXITED_WITH_FAILURE', 'CONTAINER_CLEANEDUP_AFTER_KILL'].map((s) => publicContainerState(s as ContainerStateName))).toEqual(Array(5).fill('RUNNING'));
    expect(publicContainerState('DONE')).toBe('COMPLETE');
  });
});
