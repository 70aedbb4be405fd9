import { WeftError } from '../common/errors.ts';
import { isReply } from '../common/route.ts';
import type { ApplicationMasterProtocol } from '../protocol/am-rm.ts';
import { ApplicationSubmissionContextInfo } from '../protocol/client-rm.ts';
import type { NodeHeartbeatRequest, NodeHeartbeatResponse, RegisterNodeManagerRequest, RegisterNodeManagerResponse } from '../protocol/resource-tracker.ts';
import type { ResourceManager } from '../resource-manager.ts';

/**
 * The RM's three protocols called in-process, as SLS calls the RM's services directly: the same
 * service methods the HTTP routes call (ClientRMService, ResourceTrackerService,
 * ApplicationMasterService), with the same authentication and the same request defaults, minus
 * the sockets. Each call's wall time is reported to `timed`, for SLS's scheduler operation costs.
 */
export class InProcessRm {
  readonly rm: ResourceManager;
  private readonly timed: (op: 'allocate' | 'nodeUpdate' | 'nodeAdded' | 'appAdded', ms: number) => void;

  constructor(rm: ResourceManager, timed: InProcessRm['timed'] = () => {}) {
    this.rm = rm;
    this.timed = timed;
  }

  registerNode(req: RegisterNodeManagerRequest): RegisterNodeManagerResponse {
    const t0 = performance.now();
    try {
      return this.rm.resourceTracker.register(req);
    } finally {
      this.timed('nodeAdded', performance.now() - t0);
    }
  }

  heartbeat(req: NodeHeartbeatRequest): NodeHeartbeatResponse {
    const t0 = performance.now();
    try {
      return this.rm.resourceTracker.heartbeat(req);
    } finally {
      this.timed('nodeUpdate', performance.now() - t0);
    }
  }

  /** new-application + submit, as `weft` or curl would; returns the application id. Throws the RM's error (e.g. InvalidResourceRequest). */
  async submit(user: string, context: Omit<ApplicationSubmissionContextInfo, 'application-id'>): Promise<string> {
    const t0 = performance.now();
    try {
      const handlers = this.rm.clientRm.handlers();
      const caller = { user, remoteAddress: 'sls' };
      const origin = this.rm.ctx.rmAddress;
      const created = await handlers.newApplication({ params: {}, query: {}, body: undefined, caller, origin });
      const appId = (isReply(created) ? created.body : created)['application-id'];
      const body = ApplicationSubmissionContextInfo.parse({ ...context, 'application-id': appId });
      await handlers.submitApplication({ params: {}, query: {}, body, caller, origin });
      return appId;
    } finally {
      this.timed('appAdded', performance.now() - t0);
    }
  }

  /** ApplicationMasterProtocol for one AM, authenticated by its AMRM token on every call (as over HTTP). */
  amRm(token: string): ApplicationMasterProtocol {
    const client = this.rm.appMaster.inProcessClient(() => token);
    return {
      ...client,
      allocate: (input) => {
        // The RM's handler runs synchronously inside the call, so this times the RM's work
        // (validation, scheduling bookkeeping), not the microtasks before the caller resumes.
        const t0 = performance.now();
        try {
          return client.allocate(input);
        } finally {
          this.timed('allocate', performance.now() - t0);
        }
      },
    };
  }
}

/** The RM's error code for a failed call, or undefined for a bug. */
export function rmErrorCode(err: unknown): string | undefined {
  return err instanceof WeftError ? err.kind : undefined;
}
