import type { ContainerManagementProtocolFactory } from '../../rm/protocol/nm-container.ts';
import type { ContainerLaunchContext } from '../../rm/protocol/records.ts';

/**
 * NodeManagers as an AM's NMClient sees them: starts and stops are recorded; a container id in
 * `refuse` fails its start the way an NM refuses a bad token. Container tokens are `ct-<id>`, as
 * FakeAmRmGateway hands them out.
 */
export function fakeNmContainerClients(refuse: Set<string> = new Set()) {
  const started: { containerId: string; context: ContainerLaunchContext }[] = [];
  const stopped: string[] = [];
  const factory: ContainerManagementProtocolFactory = () => ({
    startContainers: async ({ body }: { body: { startContainerRequest: { containerToken: string; containerLaunchContext: ContainerLaunchContext }[] } }) => {
      const id = body.startContainerRequest[0]!.containerToken.replace(/^ct-/, '');
      if (refuse.has(id)) return { servicesMetaData: {}, succeededRequests: [], failedRequests: [{ containerId: id, exception: { message: 'token expired', className: 'InvalidToken' } }] };
      started.push({ containerId: id, context: body.startContainerRequest[0]!.containerLaunchContext });
      return { servicesMetaData: {}, succeededRequests: [id], failedRequests: [] };
    },
    stopContainers: async ({ body }: { body: { containerIds: string[] } }) => {
      stopped.push(...body.containerIds);
      return { succeededRequests: body.containerIds, failedRequests: [] };
    },
    getContainerStatuses: async () => ({ containerStatuses: [], failedRequests: [] }),
  });
  return { started, stopped, factory };
}
