import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../../../../rm/common/logger.ts';
import { InvalidStateTransitionError, IGNORE, StateMachine, type TransitionTable } from '../../../../rm/common/state-machine.ts';
import { WeftError } from '../../../../rm/common/errors.ts';

type S = 'A' | 'B' | 'C' | 'D';
type E = { type: 'GO'; pick?: S } | { type: 'STEP' } | { type: 'NOOP' } | { type: 'LIE' };
interface Ctx {
  readonly seen: string[];
}

const table: TransitionTable<S, E, Ctx> = {
  A: {
    GO: { to: ['B', 'C'], action: (c, e) => {
      c.seen.push('go');
      return e.pick;
    } },
    STEP: { to: 'B', action: (c) => {
      c.seen.push('step');
    } },
    NOOP: IGNORE,
    LIE: { to: 'B', action: () => 'D' },
  },
  B: { STEP: { to: 'B' } },
  C: {},
  D: {},
};

function machine(initial: S = 'A') {
  const { logger, lines } = createMemoryLogger();
  const ctx: Ctx = { seen: [] };
  return { sm: new StateMachine<S, E, Ctx>(table, initial, ctx, 'Thing', logger), ctx, lines };
}

function thrownBy(fn: () => unknown): WeftError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WeftError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('StateMachine', () => {
  it.each(['B', 'C'] as const)('enters the target a multi-target action chooses (%s)', (pick) => {
    const { sm, ctx, lines } = machine();
    expect(sm.handle({ type: 'GO', pick })).toBe(pick);
    expect(sm.state).toBe(pick);
    expect(ctx.seen).toEqual(['go']);
    expect(lines()).toContainEqual(expect.objectContaining({ from: 'A', to: pick, event: 'GO', msg: 'Thing State change' }));
  });

  it('refuses a multi-target action that chooses nothing (IllegalState), leaving the state alone', () => {
    const { sm } = machine();
    const err = thrownBy(() => sm.handle({ type: 'GO' }));
    expect(err.kind).toBe('IllegalState');
    expect(err.message).toContain('Thing: transition A on GO chose undefined, not one of B,C');
    expect(sm.state).toBe('A');
  });

  it('refuses a multi-target action that chooses a state outside its targets', () => {
    const { sm } = machine();
    const err = thrownBy(() => sm.handle({ type: 'GO', pick: 'D' }));
    expect(err.kind).toBe('IllegalState');
    expect(sm.state).toBe('A');
  });

  it('refuses a single-target action that returns another state', () => {
    const { sm } = machine();
    expect(thrownBy(() => sm.handle({ type: 'LIE' })).kind).toBe('IllegalState');
    expect(sm.state).toBe('A');
  });

  it('enters the only target when the action returns nothing', () => {
    const { sm, ctx } = machine();
    expect(sm.handle({ type: 'STEP' })).toBe('B');
    expect(ctx.seen).toEqual(['step']);
  });

  it('does not log a self-transition as a state change', () => {
    const { sm, lines } = machine('B');
    expect(sm.handle({ type: 'STEP' })).toBe('B');
    expect(lines().filter((l) => l['to'] !== undefined)).toEqual([]);
  });

  it('ignores IGNORE entries without running anything', () => {
    const { sm, ctx } = machine();
    expect(sm.handle({ type: 'NOOP' })).toBe('A');
    expect(ctx.seen).toEqual([]);
  });

  it('throws InvalidStateTransitionError for an event with no entry, and logs it', () => {
    const { sm, lines } = machine('C');
    const err = thrownBy(() => sm.handle({ type: 'STEP' }));
    expect(err).toBeInstanceOf(InvalidStateTransitionError);
    expect(err.kind).toBe('InvalidStateTransition');
    expect(err.exception).toBe('InvalidStateTransitionException');
    expect(err.message).toBe('Invalid event: STEP at C for Thing');
    expect(lines()).toContainEqual(expect.objectContaining({ state: 'C', event: 'STEP' }));
  });

  it('canHandle reflects the current row; restore sets the state without running actions', () => {
    const action = vi.fn();
    const t: TransitionTable<S, E, Ctx> = { A: { STEP: { to: 'B', action } }, B: {}, C: {}, D: {} };
    const { logger, lines } = createMemoryLogger();
    const sm = new StateMachine<S, E, Ctx>(t, 'A', { seen: [] }, 'T', logger);
    expect(sm.canHandle('STEP')).toBe(true);
    expect(sm.canHandle('GO')).toBe(false);
    sm.restore('C');
    expect(sm.state).toBe('C');
    expect(sm.canHandle('STEP')).toBe(false);
    expect(action).not.toHaveBeenCalled();
    expect(lines()).toEqual([]);
  });
});
