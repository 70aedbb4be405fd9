import { createHttpClient } from '../rm/common/http-client.ts';
import {
  amRmRoutes,
  type AllocateRequest,
  type AllocateResponse,
  type FinishApplicationMasterRequest,
  type FinishApplicationMasterResponse,
  type RegisterApplicationMasterRequest,
  type RegisterApplicationMasterResponse,
} from '../rm/protocol/am-rm.ts';

/**
 * ApplicationMasterProtocol as seen from the AM. The HTTP implementation talks to a real RM; tests
 * pass an in-process fake, so the client's bookkeeping can be checked without sockets.
 */
export interface AmRmGateway {
  registerApplicationMaster(request: RegisterApplicationMasterRequest): Promise<RegisterApplicationMasterResponse>;
  allocate(request: AllocateRequest): Promise<AllocateResponse>;
  finishApplicationMaster(request: FinishApplicationMasterRequest): Promise<FinishApplicationMasterResponse>;
}

export interface HttpAmRmGatewayOptions {
  /** The RM base URL (WEFT_RM_ADDRESS inside an AM container). */
  readonly rmUrl: string;
  /** Read per call, so a rolled AMRM token is picked up without rebuilding the gateway. */
  readonly token: () => string;
  readonly timeoutMs?: number;
}

export function createHttpAmRmGateway(options: HttpAmRmGatewayOptions): AmRmGateway {
  // No transport-level retries: the AMRMClient owns retrying, because an allocate retry must
  // resend the very same request (same responseId) to get the RM's cached answer.
  const client = createHttpClient(options.rmUrl, amRmRoutes, {
    headers: () => ({ authorization: `Bearer ${options.token()}` }),
    retries: 0,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return {
    registerApplicationMaster: (body) => client.registerApplicationMaster({ params: undefined, body }),
    allocate: (body) => client.allocate({ params: undefined, body }),
    finishApplicationMaster: (body) => client.finishApplicationMaster({ params: undefined, body }),
  };
}
