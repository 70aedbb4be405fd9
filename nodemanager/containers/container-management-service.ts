import type { Request } from 'express';
import { WeftError } from '../../rm/common/errors.ts';
import { createInProcessClient } from '../../rm/common/in-process-client.ts';
import type { Handlers, RouteSpec } from '../../rm/common/route.ts';
import { NM_TOKEN_HEADER, nmContainerRoutes, type ContainerManagementProtocol } from '../../rm/protocol/nm-container.ts';
import type { NMTokenIdentifier } from '../../rm/protocol/tokens.ts';
import type { NmContext } from '../nm-context.ts';
import { checkNmToken } from '../security/token-checks.ts';
import type { ContainerManager } from './container-manager.ts';

/**
 * ContainerManagementProtocol as the NM serves it, over HTTP or in-process: who is calling, and
 * the handlers that hand each call to the ContainerManager. Start is authorised per container by
 * its token (checked in the ContainerManager); stop and status by the caller's NMToken, which
 * names the one attempt whose containers it may touch.
 */
export class ContainerManagementService {
  private readonly context: NmContext;
  private readonly containerManager: ContainerManager;

  constructor(context: NmContext, containerManager: ContainerManager) {
    this.context = context;
    this.containerManager = containerManager;
  }

  /** Resolves the caller from `Authorization: Bearer <NMToken>`. */
  authenticate(req: Request, spec: RouteSpec): NMTokenIdentifier | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get(NM_TOKEN_HEADER) ?? '');
    return this.callerForToken(spec, m?.[1]);
  }

  /** The attempt an NMToken names, checked alike for every transport; start needs none. */
  callerForToken(spec: RouteSpec, token: string | undefined): NMTokenIdentifier | undefined {
    if (spec === nmContainerRoutes.startContainers) return undefined;
    if (token === undefined) throw new WeftError('InvalidToken', 'This call needs an NMToken: send Authorization: Bearer <NMToken>');
    const check = checkNmToken(token, this.context.keys.nmTokens, this.context.nodeId);
    if (!check.ok) throw new WeftError('InvalidToken', `Invalid NMToken: ${check.reason}`);
    return check.identifier;
  }

  handlers(): Handlers<typeof nmContainerRoutes, NMTokenIdentifier | undefined> {
    const { containerManager } = this;
    return {
      startContainers: ({ body }) => containerManager.startContainers(body.startContainerRequest),
      stopContainers: ({ body, caller }) => containerManager.stopContainers(body.containerIds, callerOf(caller)),
      getContainerStatuses: ({ body, caller }) => containerManager.getContainerStatuses(body.containerIds, callerOf(caller)),
    };
  }

  /** ContainerManagementProtocol in this process for a caller holding `nmToken`, authenticated and validated as over HTTP. */
  inProcessClient(nmToken?: string): ContainerManagementProtocol {
    return createInProcessClient(nmContainerRoutes, this.handlers(), {
      caller: (spec) => this.callerForToken(spec, nmToken),
      origin: `http://${this.context.nodeId}`,
    });
  }
}

function callerOf(caller: NMTokenIdentifier | undefined): NMTokenIdentifier {
  if (!caller) throw new WeftError('InvalidToken', 'missing NMToken');
  return caller;
}
