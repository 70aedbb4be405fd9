import { httpApplicationMasterProtocol, type ApplicationMasterProtocol } from '../rm/protocol/am-rm.ts';
import type { ApplicationMasterContext } from './application-master-context.ts';
import { NMClient } from './nm-client.ts';
import { NmTokenCache } from './nm-token-cache.ts';

/**
 * How an ApplicationMaster reaches the RM (ApplicationMasterProtocol with its AMRM token) and the
 * NMs (ContainerManagement with the NM tokens the RM hands out): what every AM's deps carry,
 * built once by its main, faked by tests.
 */
export interface ApplicationMasterConnections {
  readonly amRmGateway: ApplicationMasterProtocol;
  readonly nmClient: NMClient;
  readonly nmTokens: NmTokenCache;
}

/** Over HTTP, as the NM started the AM container (its context). */
export function applicationMasterConnections(context: Pick<ApplicationMasterContext, 'rmUrl' | 'amrmToken'>): ApplicationMasterConnections {
  const nmTokens = new NmTokenCache();
  return {
    amRmGateway: httpApplicationMasterProtocol({ rmUrl: context.rmUrl, token: () => context.amrmToken }),
    nmClient: new NMClient(nmTokens),
    nmTokens,
  };
}

/** Just the connections of deps that carry more (to hand on to what the AM builds). */
export function connectionsOf(deps: ApplicationMasterConnections): ApplicationMasterConnections {
  return { amRmGateway: deps.amRmGateway, nmClient: deps.nmClient, nmTokens: deps.nmTokens };
}
