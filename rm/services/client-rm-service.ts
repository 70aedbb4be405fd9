import type { Request } from 'express';
import { WeftError } from '../common/errors.ts';
import { createInProcessClient } from '../common/in-process-client.ts';
import { renderedJson } from '../common/rendered-json.ts';
import { reply, type Handlers } from '../common/route.ts';
import { YarnApplicationState, FinalApplicationStatus } from '../protocol/records.ts';
import { formatApplicationId, parseApplicationId } from '../protocol/ids.ts';
import { clientRmRoutes, type ApplicationClientProtocol, type AppsQuery, type ClusterInfo } from '../protocol/client-rm.ts';
import { resourceCalculatorFor, validateRequest } from '../scheduler/resource-calculator.ts';
import { aclAllows, parseQueueAcl } from '../scheduler/capacity/queue-acl.ts';
import type { RmContext } from '../rm-context.ts';
import { RmApp } from '../app/rm-app.ts';
import { fromSubmissionInfo } from '../app/submission-context.ts';
import { appInfo, attemptInfo, containerInfo } from '../web/app-info.ts';
import { AppJsonCache } from '../web/app-json-cache.ts';
import { nodeInfo } from '../web/node-info.ts';
import { clusterMetrics } from '../web/cluster-metrics.ts';
import type { SchedulingService } from './scheduling-service.ts';
import { prometheusServiceDiscovery } from '../web/prometheus-sd.ts';
import { RM_VERSION } from './resource-tracker-service.ts';

/** Who is calling the public REST API (Hadoop simple auth: `?user.name=`), if anyone said. */
export interface RestCaller {
  readonly user: string | undefined;
  readonly remoteAddress: string;
}

export const INACTIVE_NODE_STATES = ['LOST', 'SHUTDOWN', 'DECOMMISSIONED', 'REBOOTED'];

/** ClientRMService + RMWebServices: the public `/ws/v1/cluster` API. */
export class ClientRmService {
  private readonly ctx: RmContext;
  private readonly scheduling: SchedulingService;
  private readonly startedOn: number;
  private nextAppNumber = 1;
  /** Ids handed out by new-application and not yet submitted. */
  private readonly reservedIds = new Set<string>();
  private readonly appJson: AppJsonCache;
  readonly counters = { appsSubmitted: 0, appsCompleted: 0, appsFailed: 0, appsKilled: 0 };

  constructor(ctx: RmContext, scheduling: SchedulingService, startedOn: number) {
    this.ctx = ctx;
    this.scheduling = scheduling;
    this.startedOn = startedOn;
    this.appJson = new AppJsonCache(ctx);
  }

  authenticate(req: Request): RestCaller {
    const user = typeof req.query['user.name'] === 'string' && req.query['user.name'] !== '' ? req.query['user.name'] : undefined;
    return { user, remoteAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
  }

  /**
   * ApplicationClientProtocol in this process as `user` (undefined: anonymous, as a call without
   * `?user.name=`), validated and authorised as over HTTP, minus the sockets.
   */
  inProcessClient(user: string | undefined, remoteAddress = 'in-process'): ApplicationClientProtocol {
    return createInProcessClient(clientRmRoutes, this.handlers(), { caller: () => ({ user, remoteAddress }), origin: this.ctx.rmAddress });
  }

  /** Writable APIs need a user name (ResourceManagerRest.md "Writeable APIs"). */
  private writer(caller: RestCaller): string {
    if (!caller.user) {
      throw new WeftError('Authorization', 'Unable to obtain user name, user not authenticated: add ?user.name=<name> to the request');
    }
    return caller.user;
  }

  clusterInfo(): ClusterInfo {
    return {
      id: this.ctx.clusterTimestamp,
      startedOn: this.startedOn,
      state: 'STARTED',
      haState: 'ACTIVE',
      rmStateStoreName: this.ctx.store.name,
      resourceManagerVersion: RM_VERSION,
      resourceManagerBuildVersion: `${RM_VERSION} from weft`,
      resourceManagerVersionBuiltOn: '2026-11-26T00:00Z',
      hadoopVersion: RM_VERSION,
      hadoopBuildVersion: `${RM_VERSION} from weft`,
      hadoopVersionBuiltOn: '2026-11-26T00:00Z',
      haZooKeeperConnectionState: 'ResourceManager HA is not enabled.',
    };
  }

  /** Continues numbering after recovered apps of this cluster timestamp. */
  noteRecoveredApp(appId: string): void {
    const p = parseApplicationId(appId);
    if (p && p.clusterTimestamp === this.ctx.clusterTimestamp) this.nextAppNumber = Math.max(this.nextAppNumber, p.id + 1);
  }

  handlers(): Handlers<typeof clientRmRoutes, RestCaller> {
    const ctx = this.ctx;
    const getApp = (id: string): RmApp => {
      const app = ctx.apps.get(id);
      if (!app) {
        if (!parseApplicationId(id)) throw new WeftError('BadRequest', `Invalid ApplicationId: ${id}`);
        throw new WeftError('NotFound', `java.lang.Exception: app with id: ${id} not found`);
      }
      return app;
    };
    const getAttempt = (app: RmApp, id: string) => {
      const attempt = app.attempts.find((a) => a.attemptId === id);
      if (!attempt) throw new WeftError('NotFound', `java.lang.Exception: appAttempt with id: ${id} not found`);
      return attempt;
    };
    return {
      cluster: () => ({ clusterInfo: this.clusterInfo() }),
      clusterInfo: () => ({ clusterInfo: this.clusterInfo() }),
      metrics: () => ({ clusterMetrics: clusterMetrics(ctx, this.counters) }),
      // The scheduler renders the whole `{"scheduler":{"schedulerInfo":...}}` body for its type.
      scheduler: () => ctx.scheduler.schedulerInfo(this.scheduling.snapshot().state) as { scheduler: { schedulerInfo: { type: string } } },
      apps: ({ query }) => {
        const apps = this.filterApps(query);
        return renderedJson(
          () => ({ apps: apps.length === 0 ? null : { app: apps.map((a) => appInfo(ctx, a)) } }),
          () => {
            this.appJson.prune();
            return apps.length === 0 ? '{"apps":null}' : `{"apps":{"app":[${apps.map((a) => this.appJson.json(a)).join(',')}]}}`;
          },
        );
      },
      app: ({ params }) => ({ app: appInfo(ctx, getApp(params.appid)) }),
      appState: ({ params }) => ({ state: getApp(params.appid).publicState }),
      appAttempts: ({ params }) => ({ appAttempts: { appAttempt: getApp(params.appid).attempts.map((a) => attemptInfo(ctx, a)) } }),
      appAttempt: ({ params }) => ({ appAttempt: attemptInfo(ctx, getAttempt(getApp(params.appid), params.appattemptid)) }),
      attemptContainers: ({ params }) => ({
        container: [...getAttempt(getApp(params.appid), params.appattemptid).containers.values()].map((c) => containerInfo(ctx, c)),
      }),
      attemptContainer: ({ params }) => {
        const c = getAttempt(getApp(params.appid), params.appattemptid).containers.get(params.containerid);
        if (!c) throw new WeftError('NotFound', `java.lang.Exception: container with id: ${params.containerid} not found`);
        return containerInfo(ctx, c);
      },
      nodes: ({ query }) => {
        const wanted = (query.states ?? query.state)?.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
        for (const s of wanted ?? []) {
          if (!['NEW', 'RUNNING', 'UNHEALTHY', 'DECOMMISSIONED', 'LOST', 'REBOOTED', 'DECOMMISSIONING', 'SHUTDOWN'].includes(s)) {
            throw new WeftError('BadRequest', `Invalid node state: ${s}. Valid states are NEW, RUNNING, UNHEALTHY, DECOMMISSIONING, DECOMMISSIONED, LOST, REBOOTED, SHUTDOWN`);
          }
        }
        const all = [...ctx.nodes.values(), ...ctx.inactiveNodes.values()];
        // Like YARN, no filter means the active nodes only.
        const nodes = all.filter((n) => (wanted ? wanted.includes(n.state) : !INACTIVE_NODE_STATES.includes(n.state)));
        return { nodes: nodes.length === 0 ? null : { node: nodes.map(nodeInfo) } };
      },
      node: ({ params }) => {
        const n = ctx.nodes.get(params.nodeid) ?? ctx.inactiveNodes.get(params.nodeid);
        if (!n) throw new WeftError('NotFound', `java.lang.Exception: nodeId, ${params.nodeid}, is not found`);
        return { node: nodeInfo(n) };
      },
      prometheusSd: () => prometheusServiceDiscovery(ctx),
      newApplication: ({ caller }) => {
        this.writer(caller);
        const id = formatApplicationId({ clusterTimestamp: ctx.clusterTimestamp, id: this.nextAppNumber++ });
        this.reservedIds.add(id);
        return { 'application-id': id, 'maximum-resource-capability': { ...ctx.config.maximumAllocation } };
      },
      submitApplication: ({ body, caller, origin }) => {
        const user = this.writer(caller);
        const context = fromSubmissionInfo(body);
        const id = context.applicationId;
        if (ctx.apps.has(id)) throw new WeftError('BadRequest', `Application with id ${id} is already present! Cannot add a duplicate!`);
        const parts = parseApplicationId(id);
        if (!parts) throw new WeftError('BadRequest', `Invalid application-id '${id}': expected application_<clusterTimestamp>_<sequence>`);
        if (!this.reservedIds.has(id)) {
          throw new WeftError('BadRequest', `Unknown application-id ${id}: ask POST /ws/v1/cluster/apps/new-application for an id first`);
        }
        if (context.unmanagedAM) {
          throw new WeftError('BadRequest', 'unmanaged-AM is not supported by weft: submit an am-container-spec with commands and "unmanaged-AM": false');
        }
        if (context.amContainerSpec.commands.length === 0) {
          throw new WeftError('BadRequest', 'am-container-spec.commands is empty: give the command that starts the ApplicationMaster');
        }
        const invalid = validateRequest(context.resource, ctx.config.maximumAllocation);
        if (invalid) throw new WeftError('InvalidResourceRequest', invalid);
        const calc = resourceCalculatorFor(ctx.config.resourceCalculator);
        const amResource = calc.normalize(context.resource, ctx.config.minimumAllocation, ctx.config.maximumAllocation, ctx.config.minimumAllocation);
        this.reservedIds.delete(id);
        const app = new RmApp(ctx, { context, user, submitTime: ctx.clock.now(), queue: context.queue ?? 'default', amResource });
        ctx.apps.set(id, app);
        this.counters.appsSubmitted++;
        ctx.logger.info({ appId: id, user, queue: context.queue ?? 'default', name: context.applicationName }, 'application submitted');
        ctx.events.dispatch(() => app.handle({ type: 'START' }));
        return reply(202, undefined, { Location: `${origin}/ws/v1/cluster/apps/${id}` });
      },
      updateAppState: ({ params, body, caller, origin }) => {
        const user = this.writer(caller);
        if (body.state !== 'KILLED') throw new WeftError('BadRequest', "java.lang.Exception: Only 'KILLED' is allowed as a target state.");
        const app = getApp(params.appid);
        if (ctx.config.aclEnable && user !== app.user && !ctx.scheduler.canAdminister(app.queue, user) && !aclAllows(parseQueueAcl(ctx.config.adminAcl), user, [])) {
          throw new WeftError('Forbidden', `User ${user} cannot perform operation KILL on ${app.appId}: not the owner, a queue administrator of ${app.queue}, or an admin`);
        }
        if (app.isFinal) return { state: app.publicState };
        const before = app.publicState;
        ctx.events.dispatch(() => app.handle({ type: 'KILL', diagnostics: `Application ${app.appId} was killed by user ${user} at ${caller.remoteAddress}` }));
        return reply(202, { state: before }, { Location: `${origin}/ws/v1/cluster/apps/${app.appId}/state` });
      },
    };
  }

  private filterApps(q: AppsQuery): RmApp[] {
    const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
    const states = list(q.states ?? q.state)?.map((s) => s.toUpperCase());
    for (const s of states ?? []) {
      if (!YarnApplicationState.options.includes(s as YarnApplicationState)) {
        throw new WeftError('BadRequest', `Invalid application-state ${s} specified. It should be one of ${YarnApplicationState.options.join(', ')}`);
      }
    }
    const finalStatus = q.finalStatus?.toUpperCase();
    if (finalStatus && !FinalApplicationStatus.options.includes(finalStatus as FinalApplicationStatus)) {
      throw new WeftError('BadRequest', `Invalid final status ${q.finalStatus}. It should be one of ${FinalApplicationStatus.options.join(', ')}`);
    }
    const range = (begin: string | undefined, end: string | undefined, name: string) => {
      const b = begin === undefined ? 0 : Number(begin);
      const e = end === undefined ? Number.MAX_SAFE_INTEGER : Number(end);
      if (e < b) throw new WeftError('BadRequest', `${name}End must be greater than ${name}Begin`);
      return [b, e] as const;
    };
    const [sb, se] = range(q.startedTimeBegin, q.startedTimeEnd, 'startedTime');
    const [fb, fe] = range(q.finishedTimeBegin, q.finishedTimeEnd, 'finishedTime');
    const types = list(q.applicationTypes)?.map((t) => t.toLowerCase());
    const tags = list(q.applicationTags)?.map((t) => t.toLowerCase());
    const limit = q.limit === undefined ? Number.MAX_SAFE_INTEGER : Number(q.limit);
    const out: RmApp[] = [];
    for (const app of this.ctx.apps.values()) {
      if (out.length >= limit) break;
      if (states && !states.includes(app.publicState)) continue;
      if (finalStatus && app.finalStatus !== finalStatus) continue;
      if (q.user && app.user !== q.user) continue;
      if (q.queue && app.queue !== q.queue && !app.queue.endsWith(`.${q.queue}`) && `root.${app.queue}` !== q.queue) continue;
      if (q.name && app.context.applicationName !== q.name) continue;
      if (types && !types.includes(app.context.applicationType.toLowerCase())) continue;
      if (tags && !tags.some((t) => app.context.applicationTags.includes(t))) continue;
      if (app.startTime < sb || app.startTime > se) continue;
      if ((q.finishedTimeBegin !== undefined || q.finishedTimeEnd !== undefined) && (app.finishTime === 0 || app.finishTime < fb || app.finishTime > fe)) continue;
      out.push(app);
    }
    return out;
  }
}
