import type { Request } from 'express';
import { WeftError } from '../common/errors.ts';
import { createInProcessClient } from '../common/in-process-client.ts';
import type { Handlers } from '../common/route.ts';
import type {
  AllocateRequest,
  AllocateResponse,
  FinishApplicationMasterRequest,
  FinishApplicationMasterResponse,
  RegisterApplicationMasterRequest,
  RegisterApplicationMasterResponse,
} from '../protocol/am-rm.ts';
import { amRmRoutes, type ApplicationMasterProtocol } from '../protocol/am-rm.ts';
import { applicationIdOfAttempt } from '../protocol/ids.ts';
import { ContainerDiagnostics, type Container, type ResourceRequest } from '../protocol/records.ts';
import { resourceCalculatorFor, validateRequest } from '../scheduler/resource-calculator.ts';
import type { RmContext } from '../rm-context.ts';
import type { RmAppAttempt } from '../app/attempt/rm-app-attempt.ts';
import type { SchedulingService } from './scheduling-service.ts';

/**
 * ApplicationMasterService: register, allocate (the AM heartbeat) and finish. The caller is the
 * attempt named by its AMRM token; a token of any other attempt is refused.
 */
export class ApplicationMasterService {
  private readonly ctx: RmContext;
  private readonly scheduling: SchedulingService;

  constructor(ctx: RmContext, scheduling: SchedulingService) {
    this.ctx = ctx;
    this.scheduling = scheduling;
  }

  /** Resolves the calling attempt from `Authorization: Bearer <AMRMToken>`. */
  authenticate(req: Request): RmAppAttempt {
    const header = req.get('authorization') ?? '';
    return this.attemptForToken(header.startsWith('Bearer ') ? header.slice(7).trim() : undefined);
  }

  /** The current attempt an AMRM token was issued to; every protocol call is checked this way, over HTTP or in-process. */
  attemptForToken(token: string | undefined): RmAppAttempt {
    const attemptId = this.ctx.secrets.verifyAMRMToken(token);
    const app = this.ctx.apps.get(applicationIdOfAttempt(attemptId) ?? '');
    const attempt = app?.attempts.find((a) => a.attemptId === attemptId);
    if (!app || !attempt) throw new WeftError('InvalidToken', `Invalid AMRMToken: application attempt ${attemptId} is unknown to this ResourceManager`);
    if (app.currentAttempt !== attempt) {
      throw new WeftError('InvalidToken', `Invalid AMRMToken: ${attemptId} is not the current attempt of ${app.appId} (current: ${app.currentAttempt?.attemptId})`);
    }
    return attempt;
  }

  handlers(): Handlers<typeof amRmRoutes, RmAppAttempt> {
    return {
      registerApplicationMaster: ({ body, caller }) => this.register(caller, body),
      allocate: ({ body, caller }) => this.allocate(caller, body),
      finishApplicationMaster: ({ body, caller }) => this.finish(caller, body),
    };
  }

  /**
   * ApplicationMasterProtocol in this process for the AM holding `token` (read per call, as the
   * HTTP client reads it), authenticated and validated as over HTTP, minus the sockets.
   */
  inProcessClient(token: () => string): ApplicationMasterProtocol {
    return createInProcessClient(amRmRoutes, this.handlers(), { caller: () => this.attemptForToken(token()), origin: this.ctx.rmAddress });
  }

  register(attempt: RmAppAttempt, req: RegisterApplicationMasterRequest): RegisterApplicationMasterResponse {
    const { ctx } = this;
    if (attempt.state === 'RUNNING') {
      throw new WeftError('InvalidApplicationMasterRequest', `Application Master is already registered : ${attempt.app.appId}`);
    }
    // The AM can start and register before the NM's answer to the launch reaches the RM.
    if (attempt.state === 'ALLOCATED') ctx.events.dispatch(() => attempt.handle({ type: 'LAUNCHED' }));
    if (attempt.state !== 'LAUNCHED' && attempt.state !== 'ALLOCATED') {
      throw new WeftError('InvalidApplicationMasterRequest', `Cannot register ${attempt.attemptId}: the attempt is ${attempt.state}`);
    }
    ctx.events.dispatch(() => attempt.handle({ type: 'REGISTERED', host: req.host, rpcPort: req.rpcPort, trackingUrl: req.trackingUrl }));
    attempt.lastResponse = undefined;
    const previous = [...attempt.containers.values()].filter((c) => !c.isAm && !c.isFinal && c.attempt === attempt && !attempt.newlyAllocated.includes(c));
    return {
      maximumCapability: { ...ctx.config.maximumAllocation },
      applicationACLs: attempt.app.context.amContainerSpec.applicationACLs,
      containersFromPreviousAttempts: previous.map((c) => c.toContainer()),
      queue: attempt.app.queue,
      schedulerResourceTypes: ctx.config.resourceCalculator === 'dominant' ? ['MEMORY', 'CPU'] : ['MEMORY'],
    };
  }

  allocate(attempt: RmAppAttempt, req: AllocateRequest): AllocateResponse {
    const { ctx } = this;
    if (attempt.isFinal || attempt.state === 'FINISHING' || attempt.state === 'FINAL_SAVING' || attempt.app.isFinal) {
      return this.emptyResponse(attempt, req.responseId + 1, 'AM_SHUTDOWN');
    }
    if (attempt.state !== 'RUNNING') {
      throw new WeftError(
        'ApplicationMasterNotRegistered',
        `AM is not registered for known application attempt: ${attempt.attemptId} or RM had restarted after AM registered. AM should re-register.`,
      );
    }
    // A retried call still proves the AM is alive.
    ctx.amLiveness.receivedPing(attempt.attemptId);
    const last = attempt.lastResponse ?? { responseId: 0 };
    if (req.responseId + 1 === last.responseId && attempt.lastResponse) return attempt.lastResponse;
    if (req.responseId !== last.responseId) {
      throw new WeftError(
        'InvalidApplicationMasterRequest',
        `Invalid responseId in AllocateRequest from application attempt: ${attempt.attemptId}, expect responseId to be ${last.responseId}, but get ${req.responseId}`,
      );
    }
    const asks = req.ask.map((r) => this.normalize(r));
    ctx.events.dispatch(() => attempt.handle({ type: 'STATUS_UPDATE', progress: req.progress }));
    for (const r of asks) attempt.updateAsk(r);
    if (req.metricsEndpoints) attempt.metricsEndpoints = req.metricsEndpoints;
    for (const id of req.release) {
      const c = attempt.containers.get(id);
      if (c && !c.isFinal && !c.isAm) ctx.events.dispatch(() => c.handle({ type: 'RELEASED', diagnostics: ContainerDiagnostics.RELEASED }));
    }
    for (const host of req.blacklistRequest?.blacklistAdditions ?? []) attempt.blacklist.add(host);
    for (const host of req.blacklistRequest?.blacklistRemovals ?? []) attempt.blacklist.delete(host);
    const blacklist = req.blacklistRequest;
    if (asks.length > 0 || req.release.length > 0 || (blacklist && blacklist.blacklistAdditions.length + blacklist.blacklistRemovals.length > 0)) this.scheduling.changed(attempt);

    this.scheduling.run();
    const allocated: Container[] = [];
    for (const c of attempt.newlyAllocated.splice(0)) {
      if (c.isFinal) continue;
      ctx.events.dispatch(() => c.handle({ type: 'ACQUIRED' }));
      allocated.push(c.toContainer());
    }
    const nmTokens = [];
    for (const nodeId of new Set(allocated.map((c) => c.nodeId))) {
      if (attempt.nmTokensSent.has(nodeId)) continue;
      attempt.nmTokensSent.add(nodeId);
      nmTokens.push({ nodeId, token: ctx.secrets.createNMToken(attempt.attemptId, nodeId, attempt.app.user) });
    }
    const response: AllocateResponse = {
      responseId: last.responseId + 1,
      allocatedContainers: allocated,
      completedContainerStatuses: attempt.completedStatuses.splice(0),
      // Headroom after this pass's allocations, so the AM does not over-ask.
      limit: ctx.scheduler.headroom(this.scheduling.snapshot().state, attempt.attemptId),
      updatedNodes: [...attempt.nodeUpdates.values()].map((n) => n.toNodeReport()),
      numClusterNodes: ctx.nodes.size,
      nmTokens,
      applicationPriority: attempt.app.context.priority,
    };
    attempt.nodeUpdates.clear();
    attempt.lastResponse = response;
    return response;
  }

  finish(attempt: RmAppAttempt, req: FinishApplicationMasterRequest): FinishApplicationMasterResponse {
    if (attempt.state === 'FINAL_SAVING' || attempt.state === 'FINISHING' || attempt.state === 'FINISHED') return { isUnregistered: true };
    if (attempt.state !== 'RUNNING') {
      throw new WeftError(
        'ApplicationMasterNotRegistered',
        `Application Master is trying to unregister before registering for: ${attempt.attemptId} (attempt is ${attempt.state})`,
      );
    }
    this.ctx.events.dispatch(() =>
      attempt.handle({ type: 'UNREGISTERED', finalStatus: req.finalApplicationStatus, diagnostics: req.diagnostics, trackingUrl: req.trackingUrl }),
    );
    return { isUnregistered: true };
  }

  private normalize(r: ResourceRequest): ResourceRequest {
    const { config } = this.ctx;
    const invalid = validateRequest(r.capability, config.maximumAllocation);
    if (invalid) throw new WeftError('InvalidResourceRequest', invalid);
    const calc = resourceCalculatorFor(config.resourceCalculator);
    const capability = calc.normalize(r.capability, config.minimumAllocation, config.maximumAllocation, config.minimumAllocation);
    return { ...r, capability };
  }

  private emptyResponse(attempt: RmAppAttempt, responseId: number, aMCommand: 'AM_SHUTDOWN' | 'AM_RESYNC'): AllocateResponse {
    return {
      aMCommand,
      responseId,
      allocatedContainers: [],
      completedContainerStatuses: attempt.completedStatuses.splice(0),
      limit: { memory: 0, vCores: 0 },
      updatedNodes: [],
      numClusterNodes: this.ctx.nodes.size,
      nmTokens: [],
      applicationPriority: attempt.app.context.priority,
    };
  }
}

