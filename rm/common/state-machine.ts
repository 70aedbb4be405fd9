import type { Logger } from 'pino';
import { WeftError } from './errors.ts';

/**
 * Transition tables as data (YARN's StateMachineFactory): `state -> event type -> transition`.
 * A transition names its possible target states; when there are several, its action picks one
 * (YARN's multi-arc transitions). `IGNORE` lists events dropped on purpose in a state.
 */
export const IGNORE = 'ignore' as const;

export interface Transition<S extends string, E, C> {
  readonly to: S | readonly S[];
  /** Runs synchronously; for multi-target transitions it must return the state to enter. */
  readonly action?: (ctx: C, event: E) => S | void;
}

export type TransitionTable<S extends string, E extends { type: string }, C> = {
  readonly [state in S]: {
    readonly [type in E['type']]?: Transition<S, Extract<E, { type: type }>, C> | typeof IGNORE;
  };
};

export class InvalidStateTransitionError extends WeftError {
  constructor(entity: string, state: string, event: string) {
    super('InvalidStateTransition', `Invalid event: ${event} at ${state} for ${entity}`);
  }
}

export class StateMachine<S extends string, E extends { type: string }, C> {
  private current: S;
  private readonly table: TransitionTable<S, E, C>;
  private readonly ctx: C;
  private readonly entity: string;
  private readonly logger: Logger;

  constructor(table: TransitionTable<S, E, C>, initial: S, ctx: C, entity: string, logger: Logger) {
    this.table = table;
    this.current = initial;
    this.ctx = ctx;
    this.entity = entity;
    this.logger = logger;
  }

  get state(): S {
    return this.current;
  }

  /** Restores a state read back from the state store, without running transitions. */
  restore(state: S): void {
    this.current = state;
  }

  canHandle(type: E['type']): boolean {
    return this.table[this.current][type] !== undefined;
  }

  handle(event: E): S {
    const from = this.current;
    const row = this.table[from] as Record<string, Transition<S, E, C> | typeof IGNORE | undefined>;
    const transition = row[event.type];
    if (transition === undefined) {
      this.logger.error({ state: from, event: event.type }, "Can't handle this event at current state");
      throw new InvalidStateTransitionError(this.entity, from, event.type);
    }
    if (transition === IGNORE) return from;
    const chosen = transition.action?.(this.ctx, event);
    const targets: readonly S[] = typeof transition.to === 'string' ? [transition.to] : transition.to;
    const to = chosen ?? (targets.length === 1 ? targets[0] : undefined);
    if (to === undefined || !targets.includes(to)) {
      throw new WeftError('IllegalState', `${this.entity}: transition ${from} on ${event.type} chose ${String(to)}, not one of ${targets.join(',')}`);
    }
    this.current = to;
    if (from !== to) this.logger.info({ from, to, event: event.type }, `${this.entity} State change`);
    return to;
  }
}
