import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../../../rm/common/logger.ts';
import { IGNORE, InvalidStateTransitionError, StateMachine } from '../../../rm/common/state-machine.ts';
import { WeftError } from '../../../rm/common/errors.ts';
import { rmAppTransitions, type RmApp, type RmAppEvent, type RmAppState } from '../../../rm/app/rm-app.ts';
import { rmAppAttemptTransitions, type RmAppAttempt, type RmAppAttemptEvent, type RmAppAttemptState } from '../../../rm/app/attempt/rm-app-attempt.ts';
import { rmContainerTransitions, type RmContainer, type RmContainerEvent, type RmContainerState } from '../../../rm/container/rm-container.ts';
import { rmNodeTransitions, type RmNode, type RmNodeEvent } from '../../../rm/node/rm-node.ts';
import { NodeState } from '../../../rm/protocol/records.ts';

/** The tables as plain data: state -> event type -> transition. */
type Row = Readonly<Record<string, { readonly to: string | readonly string[] } | typeof IGNORE | undefined>>;
type Table = Readonly<Record<string, Row>>;

/** Every state of each type, listed through a Record so the compiler flags a state added to the type. */
const statesOf = <S extends string>(all: Record<S, true>): readonly S[] => Object.keys(all) as S[];
const APP_STATES = statesOf<RmAppState>({
  NEW: true,
  NEW_SAVING: true,
  SUBMITTED: true,
  ACCEPTED: true,
  RUNNING: true,
  FINAL_SAVING: true,
  FINISHING: true,
  FINISHED: true,
  FAILED: true,
  KILLING: true,
  KILLED: true,
});
// YARN's LAUNCHED_UNMANAGED_SAVING is left out of the type: weft refuses unmanaged AMs.
const ATTEMPT_STATES = statesOf<RmAppAttemptState>({
  NEW: true,
  SUBMITTED: true,
  SCHEDULED: true,
  ALLOCATED_SAVING: true,
  ALLOCATED: true,
  LAUNCHED: true,
  RUNNING: true,
  FINAL_SAVING: true,
  FINISHING: true,
  FINISHED: true,
  FAILED: true,
  KILLED: true,
});
const CONTAINER_STATES = statesOf<RmContainerState>({
  NEW: true,
  RESERVED: true,
  ALLOCATED: true,
  ACQUIRED: true,
  RUNNING: true,
  COMPLETED: true,
  EXPIRED: true,
  RELEASED: true,
  KILLED: true,
});
const NODE_STATES: readonly NodeState[] = NodeState.options;

const APP_T: Table = rmAppTransitions;
const ATTEMPT_T: Table = rmAppAttemptTransitions;
const CONTAINER_T: Table = rmContainerTransitions;
const NODE_T: Table = rmNodeTransitions;

const TABLES: readonly { name: string; table: Table; states: readonly string[] }[] = [
  { name: 'RMApp', table: rmAppTransitions, states: APP_STATES },
  { name: 'RMAppAttempt', table: rmAppAttemptTransitions, states: ATTEMPT_STATES },
  { name: 'RMContainer', table: rmContainerTransitions, states: CONTAINER_STATES },
  { name: 'RMNode', table: rmNodeTransitions, states: NODE_STATES },
];

function targets(table: Table, state: string, event: string): string[] | typeof IGNORE | undefined {
  const t = table[state]?.[event];
  if (t === undefined || t === IGNORE) return t;
  return (typeof t.to === 'string' ? [t.to] : [...t.to]).sort();
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/** [from, event, targets] as listed in reference/yarn.md §4. */
type Legal = readonly [string, string, readonly string[]];

const APP_LEGAL: readonly Legal[] = [
  ['NEW', 'START', ['NEW_SAVING']],
  ['NEW', 'KILL', ['KILLED']],
  ['NEW', 'APP_REJECTED', ['FINAL_SAVING']],
  ['NEW_SAVING', 'APP_NEW_SAVED', ['SUBMITTED']],
  ['NEW_SAVING', 'KILL', ['FINAL_SAVING']],
  ['NEW_SAVING', 'APP_REJECTED', ['FINAL_SAVING']],
  ['SUBMITTED', 'APP_ACCEPTED', ['ACCEPTED']],
  ['SUBMITTED', 'APP_REJECTED', ['FINAL_SAVING']],
  ['SUBMITTED', 'KILL', ['FINAL_SAVING']],
  ['ACCEPTED', 'ATTEMPT_REGISTERED', ['RUNNING']],
  ['ACCEPTED', 'ATTEMPT_FAILED', ['ACCEPTED', 'FINAL_SAVING']],
  ['ACCEPTED', 'ATTEMPT_FINISHED', ['FINAL_SAVING']],
  ['ACCEPTED', 'KILL', ['KILLING']],
  ['ACCEPTED', 'ATTEMPT_KILLED', ['FINAL_SAVING']],
  ['RUNNING', 'ATTEMPT_UNREGISTERED', ['FINAL_SAVING']],
  ['RUNNING', 'ATTEMPT_FAILED', ['ACCEPTED', 'FINAL_SAVING']],
  ['RUNNING', 'KILL', ['KILLING']],
  ['FINAL_SAVING', 'APP_UPDATE_SAVED', ['FINISHING', 'FINISHED', 'FAILED', 'KILLED']],
  ['FINISHING', 'ATTEMPT_FINISHED', ['FINISHED']],
  ['KILLING', 'ATTEMPT_KILLED', ['FINAL_SAVING']],
  ['KILLING', 'ATTEMPT_UNREGISTERED', ['FINAL_SAVING']],
  ['KILLING', 'ATTEMPT_FAILED', ['FINAL_SAVING']],
];
const APP_IGNORED: readonly (readonly [string, string])[] = [
  ['NEW_SAVING', 'MOVE'],
  ['FINAL_SAVING', 'KILL'],
  ['FINAL_SAVING', 'MOVE'],
  ['FINISHING', 'KILL'],
  ...(['FINISHED', 'FAILED', 'KILLED'] as const).flatMap((s) => [[s, 'NODE_UPDATE'], [s, 'KILL'], [s, 'MOVE']] as const),
];

const ATTEMPT_LEGAL: readonly Legal[] = [
  ['NEW', 'START', ['SUBMITTED']],
  ['SUBMITTED', 'ATTEMPT_ADDED', ['SCHEDULED']],
  ['SCHEDULED', 'CONTAINER_ALLOCATED', ['ALLOCATED_SAVING']],
  ['ALLOCATED_SAVING', 'ATTEMPT_NEW_SAVED', ['ALLOCATED']],
  ['ALLOCATED', 'LAUNCHED', ['LAUNCHED']],
  ['ALLOCATED', 'LAUNCH_FAILED', ['FINAL_SAVING']],
  ['LAUNCHED', 'REGISTERED', ['RUNNING']],
  ['LAUNCHED', 'CONTAINER_FINISHED', ['FINAL_SAVING']],
  ['LAUNCHED', 'EXPIRE', ['FINAL_SAVING']],
  ['RUNNING', 'UNREGISTERED', ['FINAL_SAVING']],
  ['RUNNING', 'CONTAINER_FINISHED', ['FINAL_SAVING']],
  ['RUNNING', 'EXPIRE', ['FINAL_SAVING']],
  ['RUNNING', 'KILL', ['FINAL_SAVING']],
  ['FINAL_SAVING', 'ATTEMPT_UPDATE_SAVED', ['FINISHING', 'FINISHED', 'FAILED', 'KILLED']],
  ['FINISHING', 'CONTAINER_FINISHED', ['FINISHED']],
];
const ATTEMPT_IGNORED = (['FINISHED', 'FAILED', 'KILLED'] as const).flatMap((s) => [[s, 'KILL'], [s, 'EXPIRE'], [s, 'CONTAINER_FINISHED']] as const);

const CONTAINER_LEGAL: readonly Legal[] = [
  ['NEW', 'START', ['ALLOCATED']],
  ['ALLOCATED', 'ACQUIRED', ['ACQUIRED']],
  ['ALLOCATED', 'EXPIRE', ['EXPIRED']],
  ['ALLOCATED', 'RELEASED', ['RELEASED']],
  ['ALLOCATED', 'KILL', ['KILLED']],
  ['ACQUIRED', 'LAUNCHED', ['RUNNING']],
  ['ACQUIRED', 'EXPIRE', ['EXPIRED']],
  ['ACQUIRED', 'RELEASED', ['RELEASED']],
  ['RUNNING', 'FINISHED', ['COMPLETED']],
  ['RUNNING', 'RELEASED', ['RELEASED']],
  ['RUNNING', 'KILL', ['KILLED']],
];
const CONTAINER_IGNORED = (['COMPLETED', 'EXPIRED', 'RELEASED', 'KILLED'] as const).flatMap((s) => [[s, 'KILL'], [s, 'FINISHED'], [s, 'EXPIRE'], [s, 'RELEASED']] as const);

const NODE_LEGAL: readonly Legal[] = [
  ['NEW', 'STARTED', ['RUNNING']],
  ['RUNNING', 'STATUS_UPDATE', ['RUNNING', 'UNHEALTHY']],
  ['UNHEALTHY', 'STATUS_UPDATE', ['RUNNING', 'UNHEALTHY']],
  ['RUNNING', 'DECOMMISSION', ['DECOMMISSIONED']],
  ['UNHEALTHY', 'DECOMMISSION', ['DECOMMISSIONED']],
  ['RUNNING', 'EXPIRE', ['LOST']],
  ['UNHEALTHY', 'EXPIRE', ['LOST']],
  ['RUNNING', 'REBOOTING', ['REBOOTED']],
  ['UNHEALTHY', 'REBOOTING', ['REBOOTED']],
  ['RUNNING', 'SHUTDOWN', ['SHUTDOWN']],
  ['UNHEALTHY', 'SHUTDOWN', ['SHUTDOWN']],
  ['RUNNING', 'RECONNECTED', ['RUNNING', 'UNHEALTHY']],
];
const NODE_IGNORED = (['LOST', 'SHUTDOWN', 'DECOMMISSIONED', 'REBOOTED'] as const).flatMap((s) => [[s, 'EXPIRE'], [s, 'STATUS_UPDATE']] as const);

describe.each(TABLES)('$name transition table', ({ table, states }) => {
  it('has a row for every state and nothing else', () => {
    expect(sorted(Object.keys(table))).toEqual(sorted(states));
  });

  it('only ever targets known states', () => {
    for (const [from, row] of Object.entries(table)) {
      for (const [event, t] of Object.entries(row)) {
        if (t === undefined || t === IGNORE) continue;
        const to = typeof t.to === 'string' ? [t.to] : t.to;
        expect(to.length, `${from} --${event}-->`).toBeGreaterThan(0);
        for (const s of to) expect(states, `${from} --${event}--> ${s}`).toContain(s);
      }
    }
  });

  it('IGNORE entries leave the state unchanged and log no state change', () => {
    let ignored = 0;
    for (const [from, row] of Object.entries(table)) {
      for (const [event, t] of Object.entries(row)) {
        if (t !== IGNORE) continue;
        ignored++;
        const { logger, lines } = createMemoryLogger();
        const sm = new StateMachine<string, { type: string }, never>(table, from, undefined as never, 'X', logger);
        expect(sm.handle({ type: event })).toBe(from);
        expect(sm.state).toBe(from);
        expect(lines().filter((l) => l['from'] !== undefined)).toEqual([]);
      }
    }
    expect(ignored).toBeGreaterThan(0);
  });
});

describe('legal pairs of reference/yarn.md §4', () => {
  const cases = [
    { name: 'RMApp', table: APP_T, legal: APP_LEGAL, ignored: APP_IGNORED },
    { name: 'RMAppAttempt', table: ATTEMPT_T, legal: ATTEMPT_LEGAL, ignored: ATTEMPT_IGNORED },
    { name: 'RMContainer', table: CONTAINER_T, legal: CONTAINER_LEGAL, ignored: CONTAINER_IGNORED },
    { name: 'RMNode', table: NODE_T, legal: NODE_LEGAL, ignored: NODE_IGNORED },
  ];
  for (const { name, table, legal, ignored } of cases) {
    it.each(legal.map(([from, event, to]) => ({ from, event, to })))(`${name} $from --$event--> $to`, ({ from, event, to }) => {
      expect(targets(table, from, event)).toEqual(sorted(to));
    });
    it.each(ignored.map(([from, event]) => ({ from, event })))(`${name} $from ignores $event`, ({ from, event }) => {
      expect(targets(table, from, event)).toBe(IGNORE);
    });
  }

  it('RMApp NEW --RECOVER--> may resume in any state the store can describe', () => {
    // YARN's target set also has FINAL_SAVING; weft never persists FINAL_SAVING, so it is not reachable.
    expect(targets(APP_T, 'NEW', 'RECOVER')).toEqual(expect.arrayContaining(['SUBMITTED', 'ACCEPTED', 'FINISHED', 'FAILED', 'KILLED']));
  });

  it('RMApp RUNNING --ATTEMPT_FINISHED--> ends FINISHED (weft saves the final state first)', () => {
    const to = targets(rmAppTransitions, 'RUNNING', 'ATTEMPT_FINISHED');
    expect(to === IGNORE || to === undefined ? [] : to).toSatisfy((xs: string[]) => xs.length === 1 && ['FINISHED', 'FINAL_SAVING'].includes(xs[0] ?? ''));
  });

  it('RMAppAttempt KILL before the AM container exists ends KILLED', () => {
    for (const s of ['NEW', 'SUBMITTED', 'SCHEDULED']) {
      const to = targets(rmAppAttemptTransitions, s, 'KILL');
      expect(Array.isArray(to) && to.every((x) => x === 'KILLED' || x === 'FINAL_SAVING'), `${s} KILL -> ${String(to)}`).toBe(true);
    }
  });
});

describe('illegal pairs throw through StateMachine.handle', () => {
  const illegal = [
    { name: 'RMApp', table: APP_T, from: 'NEW', event: 'ATTEMPT_REGISTERED' },
    { name: 'RMApp', table: APP_T, from: 'SUBMITTED', event: 'ATTEMPT_UNREGISTERED' },
    { name: 'RMApp', table: APP_T, from: 'NEW', event: 'APP_UPDATE_SAVED' },
    { name: 'RMAppAttempt', table: ATTEMPT_T, from: 'NEW', event: 'REGISTERED' },
    { name: 'RMAppAttempt', table: ATTEMPT_T, from: 'SUBMITTED', event: 'UNREGISTERED' },
    { name: 'RMContainer', table: CONTAINER_T, from: 'NEW', event: 'FINISHED' },
    { name: 'RMContainer', table: CONTAINER_T, from: 'NEW', event: 'ACQUIRED' },
    { name: 'RMContainer', table: CONTAINER_T, from: 'NEW', event: 'LAUNCHED' },
    { name: 'RMNode', table: NODE_T, from: 'NEW', event: 'STATUS_UPDATE' },
    { name: 'RMNode', table: NODE_T, from: 'NEW', event: 'EXPIRE' },
  ];
  it.each(illegal)('$name $from + $event', ({ name, table, from, event }) => {
    const { logger, lines } = createMemoryLogger();
    const sm = new StateMachine<string, { type: string }, never>(table, from, undefined as never, name, logger);
    let thrown: unknown;
    try {
      sm.handle({ type: event });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidStateTransitionError);
    expect(thrown).toBeInstanceOf(WeftError);
    expect((thrown as WeftError).kind).toBe('InvalidStateTransition');
    expect((thrown as WeftError).message).toBe(`Invalid event: ${event} at ${from} for ${name}`);
    expect(sm.state).toBe(from);
    expect(lines()).toContainEqual(expect.objectContaining({ level: 50, state: from, event, msg: "Can't handle this event at current state" }));
  });
});

describe('transitions run their actions and log {from,to,event}', () => {
  it('RMApp RUNNING --KILL--> KILLING calls kill(diagnostics)', () => {
    const { logger, lines } = createMemoryLogger();
    const app = { kill: vi.fn() };
    const sm = new StateMachine<RmAppState, RmAppEvent, RmApp>(rmAppTransitions, 'RUNNING', app as unknown as RmApp, 'RMApp', logger);
    expect(sm.handle({ type: 'KILL', diagnostics: 'by user' })).toBe('KILLING');
    expect(app.kill).toHaveBeenCalledWith('by user');
    expect(lines()).toContainEqual(expect.objectContaining({ from: 'RUNNING', to: 'KILLING', event: 'KILL', msg: 'RMApp State change' }));
  });

  it.each(['ACCEPTED', 'FINAL_SAVING'] as const)('RMApp ACCEPTED --ATTEMPT_FAILED--> %s as the action decides', (choice) => {
    const { logger, lines } = createMemoryLogger();
    const app = { attemptFailed: vi.fn(() => choice) };
    const sm = new StateMachine<RmAppState, RmAppEvent, RmApp>(rmAppTransitions, 'ACCEPTED', app as unknown as RmApp, 'RMApp', logger);
    expect(sm.handle({ type: 'ATTEMPT_FAILED', diagnostics: 'AM died' })).toBe(choice);
    expect(app.attemptFailed).toHaveBeenCalledWith('AM died');
    // Staying in ACCEPTED is not a state change and is not logged as one.
    const changes = lines().filter((l) => l['event'] === 'ATTEMPT_FAILED' && l['to'] !== undefined);
    expect(changes).toEqual(choice === 'ACCEPTED' ? [] : [expect.objectContaining({ from: 'ACCEPTED', to: 'FINAL_SAVING', event: 'ATTEMPT_FAILED' })]);
  });

  it('RMApp FINISHED ignores KILL', () => {
    const { logger } = createMemoryLogger();
    const app = { kill: vi.fn(), finished: vi.fn() };
    const sm = new StateMachine<RmAppState, RmAppEvent, RmApp>(rmAppTransitions, 'FINISHED', app as unknown as RmApp, 'RMApp', logger);
    expect(sm.handle({ type: 'KILL', diagnostics: 'late' })).toBe('FINISHED');
    expect(app.kill).not.toHaveBeenCalled();
    expect(app.finished).not.toHaveBeenCalled();
  });

  it('RMNode RUNNING --EXPIRE--> LOST deactivates the node with the lost-node diagnostics', () => {
    const { logger, lines } = createMemoryLogger();
    const node = { deactivate: vi.fn() };
    const sm = new StateMachine<NodeState, RmNodeEvent, RmNode>(rmNodeTransitions, 'RUNNING', node as unknown as RmNode, 'RMNode', logger);
    expect(sm.handle({ type: 'EXPIRE' })).toBe('LOST');
    expect(node.deactivate).toHaveBeenCalledWith('LOST', 'Container released on a *lost* node');
    expect(lines()).toContainEqual(expect.objectContaining({ from: 'RUNNING', to: 'LOST', event: 'EXPIRE' }));
  });

  it('RMNode STATUS_UPDATE picks UNHEALTHY or RUNNING from the report', () => {
    const { logger } = createMemoryLogger();
    const node = { now: () => 42, healthReport: '', lastHealthUpdate: 0 };
    const sm = new StateMachine<NodeState, RmNodeEvent, RmNode>(rmNodeTransitions, 'RUNNING', node as unknown as RmNode, 'RMNode', logger);
    expect(sm.handle({ type: 'STATUS_UPDATE', healthy: false, healthReport: 'disk full' })).toBe('UNHEALTHY');
    expect(node.healthReport).toBe('disk full');
    expect(node.lastHealthUpdate).toBe(42);
    expect(sm.handle({ type: 'STATUS_UPDATE', healthy: true, healthReport: '' })).toBe('RUNNING');
  });

  it('RMContainer ALLOCATED --EXPIRE--> EXPIRED completes it with ABORTED and the unused diagnostics', () => {
    const { logger, lines } = createMemoryLogger();
    const c = { complete: vi.fn() };
    const sm = new StateMachine<RmContainerState, RmContainerEvent, RmContainer>(rmContainerTransitions, 'ALLOCATED', c as unknown as RmContainer, 'RMContainer', logger);
    expect(sm.handle({ type: 'EXPIRE' })).toBe('EXPIRED');
    expect(c.complete).toHaveBeenCalledWith(-100, 'Container expired since it was unused', true);
    expect(lines()).toContainEqual(expect.objectContaining({ from: 'ALLOCATED', to: 'EXPIRED', event: 'EXPIRE', msg: 'RMContainer State change' }));
  });

  it('RMContainer RUNNING --FINISHED--> COMPLETED keeps the NM-reported exit status', () => {
    const { logger } = createMemoryLogger();
    const c = { complete: vi.fn() };
    const sm = new StateMachine<RmContainerState, RmContainerEvent, RmContainer>(rmContainerTransitions, 'RUNNING', c as unknown as RmContainer, 'RMContainer', logger);
    expect(sm.handle({ type: 'FINISHED', exitStatus: 143, diagnostics: 'killed' })).toBe('COMPLETED');
    expect(c.complete).toHaveBeenCalledWith(143, 'killed');
  });

  it('RMAppAttempt LAUNCHED --REGISTERED--> RUNNING records the AM', () => {
    const { logger, lines } = createMemoryLogger();
    const a = { registered: vi.fn() };
    const sm = new StateMachine<RmAppAttemptState, RmAppAttemptEvent, RmAppAttempt>(rmAppAttemptTransitions, 'LAUNCHED', a as unknown as RmAppAttempt, 'RMAppAttempt', logger);
    const event = { type: 'REGISTERED', host: 'h', rpcPort: 1, trackingUrl: 'u' } as const;
    expect(sm.handle(event)).toBe('RUNNING');
    expect(a.registered).toHaveBeenCalledWith(event);
    expect(lines()).toContainEqual(expect.objectContaining({ from: 'LAUNCHED', to: 'RUNNING', event: 'REGISTERED' }));
  });
});
