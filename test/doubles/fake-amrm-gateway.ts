import { WeftError } from '../../rm/common/errors.ts';
import { UnreachableError } from '../../rm/common/http-client.ts';
import type {
  AllocateRequest,
  AllocateResponse,
  ApplicationMasterProtocol,
  FinishApplicationMasterRequest,
  FinishApplicationMasterResponse,
  RegisterApplicationMasterRequest,
  RegisterApplicationMasterResponse,
} from '../../rm/protocol/am-rm.ts';
import type { Container, ContainerStatus, Resource } from '../../rm/protocol/records.ts';

type Fault = 'drop-request' | 'drop-response';

/**
 * A fake RM behind ApplicationMasterProtocol for one attempt with YARN's responseId rules: a repeat of the last request
 * gets the cached response, any other stale id is an error. Tests queue what the next responses
 * carry and inject network faults.
 */
export class FakeAmRmGateway implements ApplicationMasterProtocol {
  readonly registrations: RegisterApplicationMasterRequest[] = [];
  /** Requests the RM actually processed (not duplicates, not dropped). */
  readonly processed: AllocateRequest[] = [];
  /** Every request that arrived or was attempted, in order. */
  readonly attempted: AllocateRequest[] = [];
  readonly finishes: FinishApplicationMasterRequest[] = [];
  /** The RM's view: absolute outstanding counts per ask key, after replace semantics. */
  readonly rmAsks = new Map<string, number>();
  registered = false;
  private lastResponse: AllocateResponse | undefined;
  private readonly faults: Fault[] = [];
  private nextAllocated: Container[][] = [];
  private nextCompleted: ContainerStatus[][] = [];
  private nextCommand: AllocateResponse['aMCommand'][] = [];
  unregisterAfter = 1;
  private finishCalls = 0;

  async registerApplicationMaster({ body: request }: { body: RegisterApplicationMasterRequest }): Promise<RegisterApplicationMasterResponse> {
    if (this.registered) throw new WeftError('InvalidApplicationMasterRequest', 'Application Master is already registered');
    this.registrations.push(request);
    this.registered = true;
    this.lastResponse = undefined;
    return { maximumCapability: { memory: 8192, vCores: 8 }, applicationACLs: {}, containersFromPreviousAttempts: [], queue: 'default', schedulerResourceTypes: ['MEMORY', 'CPU'] };
  }

  async allocate({ body: request }: { body: AllocateRequest }): Promise<AllocateResponse> {
    this.attempted.push(structuredClone(request));
    if (!this.registered) throw new WeftError('ApplicationMasterNotRegistered', 'AM should re-register');
    const fault = this.faults.shift();
    if (fault === 'drop-request') throw new UnreachableError('POST http://rm/rpc/applicationmaster/allocate', 'ECONNRESET');
    const last = this.lastResponse;
    let response: AllocateResponse;
    if (last && request.responseId + 1 === last.responseId) {
      response = last;
    } else {
      const expected = last?.responseId ?? 0;
      if (request.responseId !== expected) {
        throw new WeftError('InvalidApplicationMasterRequest', `Invalid responseId in AllocateRequest, expect responseId to be ${expected}, but get ${request.responseId}`);
      }
      this.processed.push(structuredClone(request));
      for (const ask of request.ask) this.rmAsks.set(askKey(ask.priority, ask.resourceName, ask.capability), ask.numContainers);
      const allocated = this.nextAllocated.shift() ?? [];
      for (const c of allocated) {
        const key = askKey(c.priority, '*', c.resource);
        // The RM lowers its own count as it allocates (it may have matched a normalised ask).
        if (this.rmAsks.has(key)) this.rmAsks.set(key, Math.max(0, (this.rmAsks.get(key) ?? 0) - 1));
      }
      const command = this.nextCommand.shift();
      response = {
        ...(command ? { aMCommand: command } : {}),
        responseId: expected + 1,
        allocatedContainers: allocated,
        completedContainerStatuses: this.nextCompleted.shift() ?? [],
        limit: { memory: 0, vCores: 0 },
        updatedNodes: [],
        numClusterNodes: 1,
        nmTokens: allocated.map((c) => ({ nodeId: c.nodeId, token: `nm-token-${c.nodeId}` })),
        applicationPriority: 0,
      };
      if (command === 'AM_RESYNC') {
        // An RM that restarted has forgotten the attempt and everything it asked for.
        this.registered = false;
        this.rmAsks.clear();
      }
      this.lastResponse = response;
    }
    if (fault === 'drop-response') throw new UnreachableError('POST http://rm/rpc/applicationmaster/allocate', 'ECONNRESET');
    return response;
  }

  async finishApplicationMaster({ body: request }: { body: FinishApplicationMasterRequest }): Promise<FinishApplicationMasterResponse> {
    this.finishes.push(request);
    this.finishCalls++;
    return { isUnregistered: this.finishCalls >= this.unregisterAfter };
  }

  failNext(fault: Fault): void {
    this.faults.push(fault);
  }

  allocateNext(containers: Container[]): void {
    this.nextAllocated.push(containers);
  }

  completeNext(statuses: ContainerStatus[]): void {
    this.nextCompleted.push(statuses);
  }

  commandNext(command: NonNullable<AllocateResponse['aMCommand']>): void {
    this.nextCommand.push(command);
  }

  /** Simulates an RM restart that lost the attempt: the next allocate says "not registered". */
  forget(): void {
    this.registered = false;
    this.lastResponse = undefined;
    this.rmAsks.clear();
  }

  lastProcessed(): AllocateRequest {
    const r = this.processed.at(-1);
    if (!r) throw new Error('no allocate processed yet');
    return r;
  }
}

export const askKey = (priority: number, resourceName: string, capability: Resource): string =>
  `${priority}|${resourceName}|${capability.memory}|${capability.vCores}`;

let seq = 2;
export function container(resource: Resource, priority = 0, nodeId = 'host-a:45454', allocationRequestId = 0): Container {
  const id = `container_1700000000000_0001_01_${String(seq++).padStart(6, '0')}`;
  return { id, nodeId, nodeHttpAddress: 'host-a:8042', resource, priority, containerToken: `ct-${id}`, allocationRequestId, executionType: 'GUARANTEED', version: 0 };
}
