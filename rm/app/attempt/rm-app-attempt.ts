import { StateMachine, IGNORE, type TransitionTable } from '../../common/state-machine.ts';
import { formatContainerId } from '../../protocol/ids.ts';
import type { AllocateResponse, ContainerMetricsEndpoint } from '../../protocol/am-rm.ts';
import { ContainerExitStatus, isFinalApplicationState, type ContainerStatus, type FinalApplicationStatus, type ResourceRequest } from '../../protocol/records.ts';
import type { SchedulerAsk } from '../../scheduler/scheduler.ts';
import type { RmContext } from '../../rm-context.ts';
import type { RmContainer } from '../../container/rm-container.ts';
import type { RmNode } from '../../node/rm-node.ts';
import type { RmApp } from '../rm-app.ts';

/** RMAppAttemptState (reference/yarn.md §4.2); unmanaged AMs are refused, so LAUNCHED_UNMANAGED_SAVING never occurs. */
export type RmAppAttemptState =
  | 'NEW'
  | 'SUBMITTED'
  | 'SCHEDULED'
  | 'ALLOCATED_SAVING'
  | 'ALLOCATED'
  | 'LAUNCHED'
  | 'RUNNING'
  | 'FINAL_SAVING'
  | 'FINISHING'
  | 'FINISHED'
  | 'FAILED'
  | 'KILLED';

export type RmAppAttemptEvent =
  // source: RMApp
  | { type: 'START' }
  | { type: 'KILL'; diagnostics: string }
  // source: scheduler (attempt added)
  | { type: 'ATTEMPT_ADDED' }
  // source: scheduling service
  | { type: 'CONTAINER_ALLOCATED'; container: RmContainer }
  // source: state store
  | { type: 'ATTEMPT_NEW_SAVED' }
  | { type: 'ATTEMPT_UPDATE_SAVED' }
  // source: AM launcher
  | { type: 'LAUNCHED' }
  | { type: 'LAUNCH_FAILED'; diagnostics: string }
  // source: ApplicationMasterService
  | { type: 'REGISTERED'; host: string; rpcPort: number; trackingUrl: string }
  | { type: 'STATUS_UPDATE'; progress: number }
  | { type: 'UNREGISTERED'; finalStatus: FinalApplicationStatus; diagnostics: string; trackingUrl: string }
  // source: AM container completed
  | { type: 'CONTAINER_FINISHED'; status: ContainerStatus }
  // source: AM liveness monitor
  | { type: 'EXPIRE' };

const killed = { to: 'FINAL_SAVING' as const, action: (a: RmAppAttempt, e: { diagnostics: string }) => a.saveFinal('KILLED', e.diagnostics) };
const killedBeforeLaunch = { to: 'KILLED' as const, action: (a: RmAppAttempt, e: { diagnostics: string }) => a.ended('KILLED', e.diagnostics) };
const amExited = {
  to: 'FINAL_SAVING' as const,
  action: (a: RmAppAttempt, e: { status: ContainerStatus }) => a.saveFinal('FAILED', a.amExitDiagnostics(e.status), e.status.exitStatus),
};
const expired = {
  to: 'FINAL_SAVING' as const,
  action: (a: RmAppAttempt) =>
    a.saveFinal('FAILED', `ApplicationMaster for attempt ${a.attemptId} timed out (no allocate call for ${a.amExpirySeconds()} s)`),
};
const finalIgnores = {
  KILL: IGNORE,
  EXPIRE: IGNORE,
  CONTAINER_FINISHED: IGNORE,
  STATUS_UPDATE: IGNORE,
  UNREGISTERED: IGNORE,
  LAUNCHED: IGNORE,
  LAUNCH_FAILED: IGNORE,
  REGISTERED: IGNORE,
  CONTAINER_ALLOCATED: IGNORE,
  ATTEMPT_UPDATE_SAVED: IGNORE,
} as const;

export const rmAppAttemptTransitions: TransitionTable<RmAppAttemptState, RmAppAttemptEvent, RmAppAttempt> = {
  NEW: { START: { to: 'SUBMITTED', action: (a) => a.submitted() }, KILL: killedBeforeLaunch },
  SUBMITTED: { ATTEMPT_ADDED: { to: 'SCHEDULED' }, KILL: killedBeforeLaunch },
  SCHEDULED: {
    CONTAINER_ALLOCATED: { to: 'ALLOCATED_SAVING', action: (a, e) => a.amContainerAllocated(e.container) },
    KILL: killedBeforeLaunch,
  },
  ALLOCATED_SAVING: { ATTEMPT_NEW_SAVED: { to: 'ALLOCATED', action: (a) => a.launch() }, KILL: killed, CONTAINER_FINISHED: amExited },
  ALLOCATED: {
    LAUNCHED: { to: 'LAUNCHED', action: (a) => a.launched() },
    LAUNCH_FAILED: { to: 'FINAL_SAVING', action: (a, e) => a.saveFinal('FAILED', e.diagnostics) },
    CONTAINER_FINISHED: amExited,
    KILL: killed,
  },
  LAUNCHED: {
    REGISTERED: { to: 'RUNNING', action: (a, e) => a.registered(e) },
    CONTAINER_FINISHED: amExited,
    EXPIRE: expired,
    KILL: killed,
    LAUNCHED: IGNORE,
    STATUS_UPDATE: IGNORE,
  },
  RUNNING: {
    UNREGISTERED: { to: 'FINAL_SAVING', action: (a, e) => a.unregistered(e) },
    STATUS_UPDATE: { to: 'RUNNING', action: (a, e) => a.setProgress(e.progress) },
    CONTAINER_FINISHED: amExited,
    EXPIRE: expired,
    KILL: killed,
    LAUNCHED: IGNORE,
  },
  FINAL_SAVING: {
    ATTEMPT_UPDATE_SAVED: { to: ['FINISHING', 'FINISHED', 'FAILED', 'KILLED'], action: (a) => a.finalSaved() },
    // The AM may exit right after unregistering, before the save completes.
    CONTAINER_FINISHED: { to: 'FINAL_SAVING', action: (a) => a.markAmContainerFinished() },
    KILL: IGNORE,
    EXPIRE: IGNORE,
    STATUS_UPDATE: IGNORE,
    UNREGISTERED: IGNORE,
    LAUNCHED: IGNORE,
  },
  FINISHING: {
    CONTAINER_FINISHED: { to: 'FINISHED', action: (a) => a.ended('FINISHED') },
    // An AM that unregistered but never exits is not waited for forever.
    EXPIRE: { to: 'FINISHED', action: (a) => a.ended('FINISHED') },
    KILL: IGNORE,
    UNREGISTERED: IGNORE,
    STATUS_UPDATE: IGNORE,
  },
  FINISHED: finalIgnores,
  FAILED: finalIgnores,
  KILLED: finalIgnores,
};

type EndState = 'FINISHED' | 'FAILED' | 'KILLED';

const askKey = (r: { priority: number; allocationRequestId: number; resourceName: string; capability: { memory: number; vCores: number } }): string =>
  `${r.priority}/${r.allocationRequestId}/${r.resourceName}/${r.capability.memory}/${r.capability.vCores}`;

/** One run of an application's AM, with everything allocated to it. */
export class RmAppAttempt {
  readonly attemptId: string;
  readonly attemptNumber: number;
  readonly app: RmApp;
  readonly startTime: number;
  finishTime = 0;
  masterContainer: RmContainer | undefined;
  diagnostics = '';
  finalStatus: FinalApplicationStatus = 'UNDEFINED';
  trackingUrl = '';
  /**
   * The URL the AM gave when it unregistered (FinishApplicationMasterRequest.trackingUrl, e.g.
   * Flink's history server); '' when it gave none. The web proxy sends a finished app's users there.
   */
  finalTrackingUrl = '';
  host = 'N/A';
  rpcPort = -1;
  progress = 0;
  amExitStatus: number | undefined;
  readonly amrmToken: string;
  /** Outstanding asks by (priority, allocationRequestId, resourceName, capability); each ask replaces its entry. */
  readonly asks = new Map<string, ResourceRequest>();
  readonly blacklist = new Set<string>();
  /** All containers of this attempt, finished ones included (REST lists them). */
  readonly containers = new Map<string, RmContainer>();
  /** Allocated containers not yet handed to the AM. */
  readonly newlyAllocated: RmContainer[] = [];
  /** Completed statuses not yet pulled by the AM. */
  readonly completedStatuses: ContainerStatus[] = [];
  readonly nmTokensSent = new Set<string>();
  /** Nodes whose state changed since the AM's last allocate, reported as `updatedNodes`. */
  readonly nodeUpdates = new Map<string, RmNode>();
  lastResponse: AllocateResponse | undefined;
  /** The metrics endpoints the AM announced on its latest allocate (prometheus-sd lists the live ones). */
  metricsEndpoints: readonly ContainerMetricsEndpoint[] = [];
  registeredOnce = false;
  /** After a restart: the id of the AM container the NMs are expected to report. */
  recoveredMasterId: string | undefined;
  private pendingEnd: { state: EndState; exitStatus?: number } | undefined;
  private amContainerFinished = false;
  private nextContainerNumber = 1;
  private readonly machine: StateMachine<RmAppAttemptState, RmAppAttemptEvent, RmAppAttempt>;
  private readonly ctx: RmContext;

  constructor(ctx: RmContext, app: RmApp, attemptId: string, attemptNumber: number, startTime?: number) {
    this.ctx = ctx;
    this.app = app;
    this.attemptId = attemptId;
    this.attemptNumber = attemptNumber;
    this.startTime = startTime ?? ctx.clock.now();
    this.amrmToken = ctx.secrets.createAMRMToken(attemptId);
    this.machine = new StateMachine<RmAppAttemptState, RmAppAttemptEvent, RmAppAttempt>(rmAppAttemptTransitions, 'NEW', this, 'RMAppAttempt', ctx.logger.child({ appId: app.appId, attemptId }));
  }

  get state(): RmAppAttemptState {
    return this.machine.state;
  }

  get isFinal(): boolean {
    return isFinalApplicationState(this.state);
  }

  handle(event: RmAppAttemptEvent): void {
    const before = this.state;
    this.machine.handle(event);
    if (before !== this.state) this.ctx.changes.publish({ kind: 'attempt', id: this.attemptId, state: this.state });
  }

  /**
   * Restores an attempt whose AM may still be running (work-preserving restart): it waits in
   * LAUNCHED for the AM to re-register; its AM container comes back when its NM re-registers.
   * An AM that never returns expires and the app retries as after any AM failure.
   */
  recover(masterContainer: RmContainer | undefined, masterContainerId?: string): void {
    this.masterContainer = masterContainer;
    this.recoveredMasterId = masterContainerId;
    this.machine.restore('LAUNCHED');
    this.ctx.amLiveness.register(this.attemptId);
  }

  /** Restores an attempt that had ended before the restart. */
  restoreFinal(state: 'FINISHED' | 'FAILED' | 'KILLED'): void {
    this.machine.restore(state);
  }

  newContainerId(): string {
    const p = this.app.idParts;
    return formatContainerId({ ...p, attemptId: this.attemptNumber, epoch: this.ctx.epoch, containerId: this.nextContainerNumber++ });
  }

  amExpirySeconds(): number {
    return Math.round(this.ctx.config.amExpiryMs / 1000);
  }

  /** Waiting for its AM container: the scheduler places `amResource` under the queue's AM limit. */
  get wantsAmContainer(): boolean {
    return this.state === 'SCHEDULED';
  }

  /** Asks as the scheduler sees them; host asks are capped by the ANY ask of the same key. */
  schedulerAsks(): SchedulerAsk[] {
    const out: SchedulerAsk[] = [];
    for (const r of this.asks.values()) if (r.numContainers > 0) out.push(r);
    return out;
  }

  // --- actions ---

  submitted(): void {
    this.ctx.events.dispatch(() => this.handle({ type: 'ATTEMPT_ADDED' }));
    this.ctx.requestScheduling();
  }

  amContainerAllocated(container: RmContainer): void {
    this.masterContainer = container;
    this.ctx.store.storeAttempt(this.toStored());
    this.ctx.events.dispatch(() => this.handle({ type: 'ATTEMPT_NEW_SAVED' }));
  }

  launch(): void {
    this.app.launchStarted(this);
  }

  launched(): void {
    this.ctx.amLiveness.register(this.attemptId);
    this.app.launchTime = this.ctx.clock.now();
  }

  registered(e: { host: string; rpcPort: number; trackingUrl: string }): void {
    this.host = e.host || 'N/A';
    this.rpcPort = e.rpcPort;
    this.trackingUrl = e.trackingUrl;
    this.registeredOnce = true;
    this.ctx.amLiveness.receivedPing(this.attemptId);
    this.ctx.events.dispatch(() => this.app.handle({ type: 'ATTEMPT_REGISTERED' }));
  }

  setProgress(progress: number): void {
    this.progress = Number.isNaN(progress) || progress < 0 ? 0 : Math.min(progress, 1);
  }

  unregistered(e: { finalStatus: FinalApplicationStatus; diagnostics: string; trackingUrl: string }): void {
    this.finalStatus = e.finalStatus;
    if (e.trackingUrl) this.trackingUrl = e.trackingUrl;
    this.finalTrackingUrl = e.trackingUrl;
    this.progress = 1;
    this.saveFinal('FINISHED', e.diagnostics);
  }

  amExitDiagnostics(status: ContainerStatus): string {
    const container = this.masterContainer?.id ?? 'unknown';
    return (
      `AM Container for ${this.attemptId} exited with exitCode: ${status.exitStatus}\n` +
      `Failing this attempt.Diagnostics: ${status.diagnostics || '[none]'}\n` +
      `For more detailed output, check the application tracking page: ${this.ctx.rmAddress}/#/apps/${this.app.appId} ` +
      `Then click on links to logs of each attempt (container ${container}).`
    );
  }

  /** Records the outcome before acting on it, as FINAL_SAVING does. */
  saveFinal(state: EndState, diagnostics: string, amExitStatus?: number): void {
    this.diagnostics = diagnostics;
    if (amExitStatus !== undefined) {
      this.amExitStatus = amExitStatus;
      this.amContainerFinished = true;
    }
    this.pendingEnd = amExitStatus === undefined ? { state } : { state, exitStatus: amExitStatus };
    this.ctx.store.storeAttempt({ ...this.toStored(), finalState: state === 'FINISHED' ? 'FINISHED' : state, finishTime: this.ctx.clock.now() });
    this.ctx.events.dispatch(() => this.handle({ type: 'ATTEMPT_UPDATE_SAVED' }));
  }

  markAmContainerFinished(): void {
    this.amContainerFinished = true;
  }

  finalSaved(): RmAppAttemptState {
    const end = this.pendingEnd?.state ?? 'FAILED';
    if (end === 'FINISHED' && !this.amContainerFinished) {
      // Unregistered: wait for the AM container to exit (FINISHING), then FINISHED.
      this.ctx.events.dispatch(() => this.app.handle({ type: 'ATTEMPT_UNREGISTERED' }));
      return 'FINISHING';
    }
    this.ended(end);
    return end;
  }

  /** Final: stop tracking, release everything, tell the app. */
  ended(state: EndState, diagnostics?: string): void {
    if (diagnostics !== undefined) this.diagnostics = diagnostics;
    this.finishTime = this.ctx.clock.now();
    this.ctx.amLiveness.unregister(this.attemptId);
    this.asks.clear();
    this.ctx.store.storeAttempt({ ...this.toStored(), finalState: state, finishTime: this.finishTime });
    const keep = state === 'FAILED' && this.app.keepsContainers();
    for (const c of this.containers.values()) {
      if (c.isFinal || (keep && !c.isAm)) continue;
      this.ctx.events.dispatch(() =>
        c.handle({ type: 'KILL', exitStatus: ContainerExitStatus.ABORTED, diagnostics: 'Container of a completed application' }),
      );
    }
    this.ctx.events.dispatch(() => {
      if (state === 'FINISHED') this.app.handle({ type: 'ATTEMPT_FINISHED' });
      else if (state === 'KILLED') this.app.handle({ type: 'ATTEMPT_KILLED' });
      else this.app.handle({ type: 'ATTEMPT_FAILED', diagnostics: this.diagnostics });
    });
  }

  // --- containers ---

  addContainer(c: RmContainer): void {
    this.containers.set(c.id, c);
    this.hold(c);
    if (!c.isAm && !this.newlyAllocated.includes(c) && c.state !== 'RUNNING') this.newlyAllocated.push(c);
  }

  /** Moves a container kept from a previous attempt (keep-containers-across-application-attempts). */
  adoptContainer(c: RmContainer): void {
    c.attempt.letGo(c);
    c.attempt = this;
    this.containers.set(c.id, c);
    this.hold(c);
  }

  containerCompleted(c: RmContainer): void {
    this.letGo(c);
    const i = this.newlyAllocated.indexOf(c);
    if (i >= 0) this.newlyAllocated.splice(i, 1);
    if (c.isAm) {
      this.ctx.events.dispatch(() => this.handle({ type: 'CONTAINER_FINISHED', status: c.toStatus() }));
    } else if (!this.isFinal) {
      this.completedStatuses.push(c.toStatus());
    }
  }

  // What the attempt holds is kept as containers come and go, not summed over every container it
  // ever had: the scheduler reads it for every application on every pass.
  private readonly holding = new Set<string>();
  private readonly usedNow = { memory: 0, vCores: 0 };

  private hold(c: RmContainer): void {
    if (c.isFinal || this.holding.has(c.id)) return;
    this.holding.add(c.id);
    this.usedNow.memory += c.resource.memory;
    this.usedNow.vCores += c.resource.vCores;
  }

  private letGo(c: RmContainer): void {
    if (!this.holding.delete(c.id)) return;
    this.usedNow.memory -= c.resource.memory;
    this.usedNow.vCores -= c.resource.vCores;
  }

  get used(): { memory: number; vCores: number } {
    return { memory: this.usedNow.memory, vCores: this.usedNow.vCores };
  }

  get liveContainers(): number {
    return this.holding.size;
  }

  get amUsed(): { memory: number; vCores: number } {
    const m = this.masterContainer;
    return m && !m.isFinal ? { ...m.resource } : { memory: 0, vCores: 0 };
  }

  /** Applies one allocate() ask: the count replaces the outstanding one for that key. */
  updateAsk(r: ResourceRequest): void {
    const key = askKey(r);
    if (r.numContainers === 0) this.asks.delete(key);
    else this.asks.set(key, r);
  }

  /** Lowers the asks an allocation satisfied: its own entry and the ANY entry of the same key. */
  allocationMade(c: { priority: number; allocationRequestId: number; resourceName: string; capability: { memory: number; vCores: number } }): void {
    const anyKey = askKey({ ...c, resourceName: '*' });
    const hadAny = this.asks.has(anyKey);
    for (const name of new Set([c.resourceName, '*'])) {
      const key = askKey({ ...c, resourceName: name });
      const ask = this.asks.get(key);
      if (!ask) continue;
      if (ask.numContainers <= 1) this.asks.delete(key);
      else this.asks.set(key, { ...ask, numContainers: ask.numContainers - 1 });
    }
    // ANY carries the key's total: once it is satisfied, the key's host and rack asks are too
    // (left alone they would each stand for containers of their own and be allocated again).
    if (hadAny && !this.asks.has(anyKey)) {
      for (const [key, ask] of this.asks) {
        if (ask.priority === c.priority && ask.allocationRequestId === c.allocationRequestId && ask.capability.memory === c.capability.memory && ask.capability.vCores === c.capability.vCores) this.asks.delete(key);
      }
    }
  }

  pendingResourceRequests(): ResourceRequest[] {
    return [...this.asks.values()];
  }

  toStored() {
    return {
      attemptId: this.attemptId,
      appId: this.app.appId,
      startTime: this.startTime,
      ...(this.masterContainer ? { masterContainer: this.masterContainer.toContainer() } : {}),
      finalStatus: this.finalStatus,
      diagnostics: this.diagnostics,
      trackingUrl: this.trackingUrl,
      ...(this.finalTrackingUrl ? { finalTrackingUrl: this.finalTrackingUrl } : {}),
      ...(this.amExitStatus !== undefined ? { amExitStatus: this.amExitStatus } : {}),
    };
  }
}
