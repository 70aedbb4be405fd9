import { AppLogAggregation } from './app-log-aggregation.ts';
import type { LogAggregationStatus } from '../protocol/resource-tracker.ts';
import { StateMachine, IGNORE, type TransitionTable } from '../common/state-machine.ts';
import { formatAttemptId, parseApplicationId, type ApplicationIdParts } from '../protocol/ids.ts';
import { isFinalApplicationState, type FinalApplicationStatus, type Resource, type YarnApplicationState } from '../protocol/records.ts';
import type { RmContext } from '../rm-context.ts';
import { RmAppAttempt } from './attempt/rm-app-attempt.ts';
import type { ApplicationSubmissionContext } from './submission-context.ts';

/** RMAppState: all eleven (reference/yarn.md §4.1). */
export type RmAppState =
  | 'NEW'
  | 'NEW_SAVING'
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'RUNNING'
  | 'FINAL_SAVING'
  | 'FINISHING'
  | 'FINISHED'
  | 'FAILED'
  | 'KILLING'
  | 'KILLED';

export type RmAppEvent =
  // source: ClientRMService
  | { type: 'START' }
  | { type: 'KILL'; diagnostics: string }
  // source: RM restart
  | { type: 'RECOVER' }
  // source: state store
  | { type: 'APP_NEW_SAVED' }
  | { type: 'APP_UPDATE_SAVED' }
  // source: scheduler admission
  | { type: 'APP_ACCEPTED' }
  | { type: 'APP_REJECTED'; diagnostics: string }
  // source: RMAppAttempt
  | { type: 'ATTEMPT_REGISTERED' }
  | { type: 'ATTEMPT_UNREGISTERED' }
  | { type: 'ATTEMPT_FINISHED' }
  | { type: 'ATTEMPT_FAILED'; diagnostics: string }
  | { type: 'ATTEMPT_KILLED' }
  // source: node updates, queue moves (not acted on)
  | { type: 'NODE_UPDATE' }
  | { type: 'MOVE' };

type Final = 'FINISHED' | 'FAILED' | 'KILLED' | 'FINISHING';

const save = (target: Final, useEventDiagnostics = false) => ({
  to: 'FINAL_SAVING' as const,
  action: (a: RmApp, e: { type: string; diagnostics?: string }) => a.saveFinal(target, useEventDiagnostics ? e.diagnostics : undefined),
});
const killedNoSave = { to: 'KILLED' as const, action: (a: RmApp, e: { diagnostics: string }) => a.finished('KILLED', e.diagnostics) };
const terminal = {
  KILL: IGNORE,
  NODE_UPDATE: IGNORE,
  MOVE: IGNORE,
  ATTEMPT_FINISHED: IGNORE,
  ATTEMPT_FAILED: IGNORE,
  ATTEMPT_KILLED: IGNORE,
  ATTEMPT_UNREGISTERED: IGNORE,
  ATTEMPT_REGISTERED: IGNORE,
  APP_UPDATE_SAVED: IGNORE,
} as const;
const rejected = save('FAILED', true);
const killSaved = save('KILLED', true);

/** RMAppImpl's table (reference/yarn.md §4.1). */
export const rmAppTransitions: TransitionTable<RmAppState, RmAppEvent, RmApp> = {
  NEW: {
    START: { to: 'NEW_SAVING', action: (a) => a.saveNew() },
    RECOVER: { to: ['SUBMITTED', 'ACCEPTED', 'FINISHED', 'FAILED', 'KILLED'], action: (a) => a.recovered() },
    KILL: killedNoSave,
    APP_REJECTED: rejected,
  },
  NEW_SAVING: {
    APP_NEW_SAVED: { to: 'SUBMITTED', action: (a) => a.admit() },
    KILL: killSaved,
    APP_REJECTED: rejected,
    MOVE: IGNORE,
    NODE_UPDATE: IGNORE,
  },
  SUBMITTED: {
    APP_ACCEPTED: { to: 'ACCEPTED', action: (a) => a.startAttempt() },
    APP_REJECTED: rejected,
    KILL: killSaved,
    MOVE: IGNORE,
    NODE_UPDATE: IGNORE,
  },
  ACCEPTED: {
    ATTEMPT_REGISTERED: { to: 'RUNNING', action: (a) => a.running() },
    ATTEMPT_FAILED: { to: ['ACCEPTED', 'FINAL_SAVING'], action: (a, e) => a.attemptFailed(e.diagnostics) },
    ATTEMPT_FINISHED: save('FINISHED'),
    ATTEMPT_KILLED: save('KILLED'),
    KILL: { to: 'KILLING', action: (a, e) => a.kill(e.diagnostics) },
    APP_ACCEPTED: IGNORE,
    NODE_UPDATE: IGNORE,
    MOVE: IGNORE,
  },
  RUNNING: {
    ATTEMPT_UNREGISTERED: save('FINISHING'),
    ATTEMPT_FINISHED: save('FINISHED'),
    ATTEMPT_FAILED: { to: ['ACCEPTED', 'FINAL_SAVING'], action: (a, e) => a.attemptFailed(e.diagnostics) },
    KILL: { to: 'KILLING', action: (a, e) => a.kill(e.diagnostics) },
    ATTEMPT_REGISTERED: IGNORE,
    NODE_UPDATE: IGNORE,
    MOVE: IGNORE,
  },
  FINAL_SAVING: {
    APP_UPDATE_SAVED: { to: ['FINISHING', 'FINISHED', 'FAILED', 'KILLED'], action: (a) => a.finalSaved() },
    // Arrives when the AM exits right after unregistering; FINISHING then ends at once.
    ATTEMPT_FINISHED: { to: 'FINAL_SAVING', action: (a) => a.attemptFinishedWhileSaving() },
    ATTEMPT_FAILED: IGNORE,
    ATTEMPT_KILLED: IGNORE,
    ATTEMPT_UNREGISTERED: IGNORE,
    ATTEMPT_REGISTERED: IGNORE,
    KILL: IGNORE,
    NODE_UPDATE: IGNORE,
    MOVE: IGNORE,
  },
  FINISHING: {
    ATTEMPT_FINISHED: { to: 'FINISHED', action: (a) => a.finished('FINISHED') },
    ATTEMPT_FAILED: { to: 'FINISHED', action: (a) => a.finished('FINISHED') },
    ATTEMPT_UNREGISTERED: IGNORE,
    KILL: IGNORE,
    NODE_UPDATE: IGNORE,
    MOVE: IGNORE,
  },
  KILLING: {
    ATTEMPT_KILLED: save('KILLED'),
    ATTEMPT_UNREGISTERED: save('FINISHING'),
    ATTEMPT_FINISHED: save('FINISHED'),
    ATTEMPT_FAILED: save('KILLED'),
    ATTEMPT_REGISTERED: IGNORE,
    KILL: IGNORE,
    NODE_UPDATE: IGNORE,
    MOVE: IGNORE,
  },
  FINISHED: terminal,
  FAILED: terminal,
  KILLED: terminal,
};

/** The latest scheduling pass's waiting reasons, shared by every app the passes decide on. */
export interface WaitingSource {
  /** Passes so far. */
  readonly passes: number;
  readonly waiting: ReadonlyMap<string, string> | undefined;
}

/** An application as the RM tracks it, from submission to its final state. */
export class RmApp {
  readonly appId: string;
  readonly idParts: ApplicationIdParts;
  readonly user: string;
  readonly submitTime: number;
  readonly context: ApplicationSubmissionContext;
  /** The leaf queue the app runs in (resolved at admission). */
  queue: string;
  /** The AM container size after normalisation. */
  readonly amResource: Resource;
  readonly maxAppAttempts: number;
  startTime: number;
  launchTime = 0;
  finishTime = 0;
  diagnostics = '';
  private waitingText = '';
  /** The scheduling passes' reasons this app follows, read when asked for (most never are). */
  private waitingSource: WaitingSource | undefined;
  private waitingSince = 0;
  private waitingReadAt = -1;
  readonly attempts: RmAppAttempt[] = [];
  /** What the NMs reported about aggregating this app's logs. */
  readonly logAggregation = new AppLogAggregation();
  private readonly failureTimes: number[] = [];
  private stateBeforeFinalSaving: RmAppState = 'NEW';
  private stateBeforeKilling: RmAppState = 'NEW';
  private targetState: Final = 'FAILED';
  private attemptFinishedEarly = false;
  private recoveredState: 'FINISHED' | 'FAILED' | 'KILLED' | undefined;
  private storedFinalStatus: FinalApplicationStatus | undefined;
  private readonly machine: StateMachine<RmAppState, RmAppEvent, RmApp>;
  private readonly ctx: RmContext;

  constructor(
    ctx: RmContext,
    init: { context: ApplicationSubmissionContext; user: string; submitTime: number; queue: string; amResource: Resource },
  ) {
    this.ctx = ctx;
    this.appId = init.context.applicationId;
    const parts = parseApplicationId(this.appId);
    if (!parts) throw new Error(`bad application id ${this.appId}`);
    this.idParts = parts;
    this.user = init.user;
    this.submitTime = init.submitTime;
    this.startTime = init.submitTime;
    this.context = init.context;
    this.queue = init.queue;
    this.amResource = init.amResource;
    const requested = init.context.maxAppAttempts;
    this.maxAppAttempts = requested > 0 && requested <= ctx.config.amMaxAttempts ? requested : ctx.config.amMaxAttempts;
    this.machine = new StateMachine<RmAppState, RmAppEvent, RmApp>(rmAppTransitions, 'NEW', this, 'RMApp', ctx.logger.child({ appId: this.appId }));
  }

  get state(): RmAppState {
    return this.machine.state;
  }

  /** Why the scheduler holds it (YARN users' most common question); shown while ACCEPTED. */
  get waitingDiagnostics(): string {
    const source = this.waitingSource;
    if (source && source.passes > this.waitingSince && source.passes !== this.waitingReadAt) {
      this.waitingText = source.waiting?.get(this.appId) ?? '';
      this.waitingReadAt = source.passes;
    }
    return this.waitingText;
  }

  set waitingDiagnostics(text: string) {
    this.waitingText = text;
    this.waitingSource = undefined;
  }

  /** The scheduler decides on this app from the next pass on: its reason is that pass's. */
  followWaiting(source: WaitingSource): void {
    if (this.waitingSource === source) return;
    this.waitingSource = source;
    this.waitingSince = source.passes;
    this.waitingReadAt = -1;
  }

  /** The scheduler no longer decides on this app: it keeps the last reason it was given. */
  unfollowWaiting(): void {
    if (!this.waitingSource) return;
    this.waitingText = this.waitingDiagnostics;
    this.waitingSource = undefined;
  }

  get currentAttempt(): RmAppAttempt | undefined {
    return this.attempts[this.attempts.length - 1];
  }

  get isFinal(): boolean {
    return isFinalApplicationState(this.state);
  }

  /** YarnApplicationState as clients see it (createApplicationState). */
  get publicState(): YarnApplicationState {
    const s = this.state === 'FINAL_SAVING' ? this.stateBeforeFinalSaving : this.state === 'KILLING' ? this.stateBeforeKilling : this.state;
    if (s === 'FINISHING') return 'FINISHED';
    if (s === 'FINAL_SAVING' || s === 'KILLING') return 'RUNNING';
    return s;
  }

  /** FinalApplicationStatus: the AM's word once it unregistered, else derived from the state. */
  get finalStatus(): FinalApplicationStatus {
    if (this.storedFinalStatus) return this.storedFinalStatus;
    const reported = this.currentAttempt?.finalStatus;
    if (reported && reported !== 'UNDEFINED') return reported;
    switch (this.state) {
      case 'FINISHING':
      case 'FINISHED':
      case 'FAILED':
        return 'FAILED';
      case 'KILLED':
        return 'KILLED';
      default:
        return 'UNDEFINED';
    }
  }

  handle(event: RmAppEvent): void {
    const before = this.state;
    if (event.type === 'KILL' && before !== 'KILLING') this.stateBeforeKilling = before;
    this.machine.handle(event);
    if (before !== this.state) this.ctx.changes.publish({ kind: 'app', id: this.appId, state: this.publicState });
  }

  /** Puts the state the store had back; RECOVER then resumes from it. */
  restoreFrom(stored: { finalState?: 'FINISHED' | 'FAILED' | 'KILLED'; finalStatus?: string; diagnostics?: string; finishTime?: number; launchTime?: number }): void {
    this.recoveredState = stored.finalState;
    if (stored.finalState) this.storedFinalStatus = (stored.finalStatus ?? 'UNDEFINED') as FinalApplicationStatus;
    this.diagnostics = stored.diagnostics ?? '';
    this.finishTime = stored.finishTime ?? 0;
    this.launchTime = stored.launchTime ?? 0;
  }

  keepsContainers(): boolean {
    return this.context.keepContainersAcrossApplicationAttempts && this.attempts.length < this.maxAppAttempts;
  }

  // --- actions ---

  saveNew(): void {
    this.ctx.store.storeApp(this.toStored());
    this.ctx.events.dispatch(() => this.handle({ type: 'APP_NEW_SAVED' }));
  }

  admit(): void {
    const running = this.ctx.appsInQueue(this.queue, this.appId);
    const check = this.ctx.scheduler.checkSubmit(this.context.queue, this.user, running, this.appId);
    this.ctx.events.dispatch(() => {
      if (check.ok) {
        this.queue = check.queue;
        this.handle({ type: 'APP_ACCEPTED' });
      } else {
        this.handle({ type: 'APP_REJECTED', diagnostics: check.diagnostics });
      }
    });
  }

  recovered(): RmAppState {
    if (this.recoveredState) {
      this.finished(this.recoveredState, this.diagnostics, false);
      return this.recoveredState;
    }
    const attempt = this.currentAttempt;
    if (attempt && !attempt.isFinal) return 'ACCEPTED';
    // No live attempt survived: start over from SUBMITTED as a non-work-preserving RM would.
    this.ctx.events.dispatch(() => this.handle({ type: 'APP_ACCEPTED' }));
    return 'SUBMITTED';
  }

  startAttempt(): void {
    const number = this.attempts.length + 1;
    const attempt = new RmAppAttempt(this.ctx, this, formatAttemptId({ ...this.idParts, attemptId: number }), number);
    const previous = this.currentAttempt;
    this.attempts.push(attempt);
    if (previous && this.context.keepContainersAcrossApplicationAttempts) {
      for (const c of previous.containers.values()) if (!c.isFinal && !c.isAm) attempt.adoptContainer(c);
    }
    this.waitingDiagnostics = '';
    this.ctx.events.dispatch(() => attempt.handle({ type: 'START' }));
  }

  /** The AM container is allocated and saved: start it on its node. */
  launchStarted(attempt: RmAppAttempt): void {
    this.ctx.appLauncher(attempt);
  }

  running(): void {
    this.waitingDiagnostics = '';
  }

  kill(diagnostics: string): void {
    this.diagnostics = diagnostics;
    const attempt = this.currentAttempt;
    if (attempt && !attempt.isFinal) this.ctx.events.dispatch(() => attempt.handle({ type: 'KILL', diagnostics }));
    else this.ctx.events.dispatch(() => this.handle({ type: 'ATTEMPT_KILLED' }));
  }

  attemptFailed(diagnostics: string): RmAppState {
    const now = this.ctx.clock.now();
    this.failureTimes.push(now);
    const window = this.context.attemptFailuresValidityInterval;
    const counted = window > 0 ? this.failureTimes.filter((t) => now - t <= window).length : this.failureTimes.length;
    if (counted < this.maxAppAttempts) {
      this.ctx.logger.info({ appId: this.appId, failures: counted, maxAppAttempts: this.maxAppAttempts }, 'starting a new application attempt');
      this.startAttempt();
      return 'ACCEPTED';
    }
    this.saveFinal(
      'FAILED',
      `Application ${this.appId} failed ${this.maxAppAttempts} times${window > 0 ? ` (global limit =${this.ctx.config.amMaxAttempts}; local limit is =${this.maxAppAttempts})` : ''} due to ${diagnostics}. Failing the application.`,
    );
    return 'FINAL_SAVING';
  }

  saveFinal(target: Final, diagnostics?: string): void {
    this.stateBeforeFinalSaving = this.state === 'KILLING' ? this.stateBeforeKilling : this.state;
    this.targetState = target;
    if (diagnostics !== undefined) this.diagnostics = diagnostics;
    else if (target === 'FINISHING' || target === 'FINISHED') this.diagnostics = this.currentAttempt?.diagnostics ?? this.diagnostics;
    if (target === 'KILLED' && !this.diagnostics) this.diagnostics = `Application killed by user.`;
    const stored = target === 'FINISHING' ? 'FINISHED' : target;
    this.ctx.store.storeApp({ ...this.toStored(), finalState: stored, finalStatus: this.finalStatusFor(stored), diagnostics: this.diagnostics, finishTime: this.ctx.clock.now() });
    this.ctx.events.dispatch(() => this.handle({ type: 'APP_UPDATE_SAVED' }));
  }

  attemptFinishedWhileSaving(): void {
    this.attemptFinishedEarly = true;
  }

  finalSaved(): RmAppState {
    if (this.targetState === 'FINISHING') {
      if (!this.attemptFinishedEarly) return 'FINISHING';
      this.finished('FINISHED');
      return 'FINISHED';
    }
    this.finished(this.targetState);
    return this.targetState;
  }

  /** Entering a final state: NMs clean up the app, metrics and retention learn of it. */
  finished(state: 'FINISHED' | 'FAILED' | 'KILLED', diagnostics?: string, live = true): void {
    if (diagnostics !== undefined) this.diagnostics = diagnostics;
    if (!live) return;
    this.finishTime = this.ctx.clock.now();
    this.waitingDiagnostics = '';
    for (const attempt of this.attempts) {
      for (const c of attempt.containers.values()) (this.ctx.nodes.get(c.nodeId) ?? this.ctx.inactiveNodes.get(c.nodeId))?.applicationsToCleanup.add(this.appId);
    }
    this.ctx.logger.info({ appId: this.appId, state, finalStatus: this.finalStatus }, 'application finished');
    this.ctx.appFinished(this, state);
  }

  private finalStatusFor(state: 'FINISHED' | 'FAILED' | 'KILLED'): FinalApplicationStatus {
    const reported = this.currentAttempt?.finalStatus;
    if (reported && reported !== 'UNDEFINED') return reported;
    return state === 'KILLED' ? 'KILLED' : 'FAILED';
  }

  /** The app report's `logAggregationStatus` (DISABLED unless yarn.log-aggregation-enable). */
  logAggregationStatus(): LogAggregationStatus {
    const ranNodes = this.attempts.flatMap((a) => [...a.containers.values()].map((c) => c.nodeId));
    const { enabled, statusTimeoutMs } = this.ctx.config.logAggregation;
    return this.logAggregation.status({ enabled, ranNodes, appFinal: this.isFinal, finishTime: this.finishTime, now: this.ctx.clock.now(), timeoutMs: statusTimeoutMs });
  }

  toStored() {
    return {
      appId: this.appId,
      user: this.user,
      submitTime: this.submitTime,
      context: this.context,
      startTime: this.startTime,
      launchTime: this.launchTime,
      ...(this.currentAttempt?.trackingUrl ? { originalTrackingUrl: this.currentAttempt.trackingUrl } : {}),
    };
  }
}
