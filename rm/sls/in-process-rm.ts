import { WeftError } from '../common/errors.ts';
import type { ApplicationMasterProtocol } from '../protocol/am-rm.ts';
import type { ApplicationSubmissionContextInfo } from '../protocol/client-rm.ts';
import type { ResourceTracker } from '../protocol/resource-tracker.ts';
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

  /** ResourceTracker for the simulated NMs, as the NMs' HTTP client would reach it. */
  resourceTracker(): ResourceTracker {
    const client = this.rm.resourceTracker.inProcessClient();
    return {
      ...client,
      registerNodeManager: this.timing('nodeAdded', client.registerNodeManager),
      nodeHeartbeat: this.timing('nodeUpdate', client.nodeHeartbeat),
    };
  }

  /** new-application + submit, as `weft` or curl would; returns the application id. Throws the RM's error (e.g. InvalidResourceRequest). */
  async submit(user: string, context: Omit<ApplicationSubmissionContextInfo, 'application-id'>): Promise<string> {
    const t0 = performance.now();
    try {
      const client = this.rm.clientRm.inProcessClient(user, 'sls');
      const appId = (await client.newApplication({}))['application-id'];
      await client.submitApplication({ body: { ...context, 'application-id': appId } });
      return appId;
    } finally {
      this.timed('appAdded', performance.now() - t0);
    }
  }

  /** ApplicationMasterProtocol for one AM, authenticated by its AMRM token on every call (as over HTTP). */
  amRm(token: string): ApplicationMasterProtocol {
    const client = this.rm.appMaster.inProcessClient(() => token);
    return { ...client, allocate: this.timing('allocate', client.allocate) };
  }

  /**
   * Times a protocol call for SLS's operation costs. The RM's handler runs synchronously inside
   * the call, so this is the RM's work (validation, scheduling bookkeeping), not the microtasks
   * that run before the caller resumes.
   */
  private timing<I, R>(op: Parameters<InProcessRm['timed']>[0], call: (input: I) => Promise<R>): (input: I) => Promise<R> {
    return (input) => {
      const t0 = performance.now();
      try {
        return call(input);
      } finally {
        this.timed(op, performance.now() - t0);
      }
    };
  }
}

/** The RM's error code for a failed call, or undefined for a bug. */
export function rmErrorCode(err: unknown): string | undefined {
  return err instanceof WeftError ? err.kind : undefined;
}
