import type { FailedRequest, StartContainersResponse } from '../protocol/nm-container.ts';
import { applicationIdOfContainer } from '../protocol/ids.ts';
import { AMRM_TOKEN_ALIAS, ContainerTokenIdentifier, decodeCredentials, peekToken } from '../protocol/tokens.ts';
import type { RmContext } from '../rm-context.ts';
import type { AmLaunch } from './am-simulator.ts';
import type { NmSimulator } from './nm-simulator.ts';

/**
 * The RM's ContainerManagement gateway into the simulated NMs (SLS's MockAMLauncher): the RM's own
 * AMLauncher calls startContainers for each AM container; the simulated NM "runs" it and the AM
 * simulator of the application comes up with the AMRM token the launcher put in the container's
 * credentials, as a real AM reads it from its container.
 */
export function simNmGateway(nmOf: (nodeId: string) => NmSimulator | undefined, amLaunched: (appId: string, launch: AmLaunch) => void): RmContext['nmGateway'] {
  return (nodeId) => ({
    startContainers: ({ body }) => {
      const nm = nmOf(nodeId);
      if (!nm?.alive) return Promise.reject(new Error(`connect ECONNREFUSED ${nodeId}`));
      const succeededRequests: string[] = [];
      const failedRequests: FailedRequest[] = [];
      for (const req of body.startContainerRequest) {
        const id = peekToken(req.containerToken, ContainerTokenIdentifier);
        const amrmToken = decodeCredentials(req.containerLaunchContext.tokens ?? '')?.tokens[AMRM_TOKEN_ALIAS];
        const appId = id ? applicationIdOfContainer(id.containerId) : undefined;
        if (!id || id.nodeId !== nm.nodeId || !appId || !amrmToken) {
          failedRequests.push({
            containerId: id?.containerId ?? 'unknown',
            exception: { className: 'org.apache.hadoop.yarn.exceptions.InvalidToken', message: `container token or AMRM token missing or not for ${nm.nodeId}` },
          });
          continue;
        }
        nm.startContainer(id.containerId, id.resource, undefined);
        succeededRequests.push(id.containerId);
        amLaunched(appId, { containerId: id.containerId, nodeId: nm.nodeId, resource: id.resource, amrmToken });
      }
      const res: StartContainersResponse = { servicesMetaData: {}, succeededRequests, failedRequests };
      return Promise.resolve(res);
    },
  });
}
