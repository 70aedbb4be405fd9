import { AMRM_TOKEN_ALIAS, encodeCredentials } from '../protocol/tokens.ts';
import type { RmContext } from '../rm-context.ts';
import type { RmAppAttempt } from './attempt/rm-app-attempt.ts';

/**
 * AMLauncher: starts an attempt's AM container on its node with the submitted launch context,
 * plus what YARN's launcher adds: the AM-only environment and the AMRM token as credentials.
 */
export function launchAm(ctx: RmContext, attempt: RmAppAttempt): void {
  const container = attempt.masterContainer;
  if (!container) return;
  const app = attempt.app;
  const spec = app.context.amContainerSpec;
  const environment = {
    ...spec.environment,
    APP_SUBMIT_TIME_ENV: String(app.submitTime),
    MAX_APP_ATTEMPTS: String(app.maxAppAttempts),
    APPLICATION_WEB_PROXY_BASE: `/proxy/${app.appId}`,
    WEFT_RM_ADDRESS: ctx.rmAddress,
  };
  const tokens = encodeCredentials({ tokens: { [AMRM_TOKEN_ALIAS]: attempt.amrmToken } });
  const log = ctx.logger.child({ appId: app.appId, attemptId: attempt.attemptId, containerId: container.id });
  const fail = (reason: string): void => {
    log.warn({ reason }, 'AM launch failed');
    ctx.events.dispatch(() =>
      attempt.handle({ type: 'LAUNCH_FAILED', diagnostics: `Error launching ${attempt.attemptId}. Got exception: ${reason}` }),
    );
  };
  ctx
    .nmGateway(container.nodeId)
    .startContainers({
      body: { startContainerRequest: [{ containerLaunchContext: { ...spec, environment, tokens }, containerToken: container.containerToken }] },
    })
    .then((res) => {
      const failed = res.failedRequests.find((f) => f.containerId === container.id);
      if (failed) return fail(`${failed.exception.className}: ${failed.exception.message}`);
      log.info({ nodeId: container.nodeId }, 'AM container launched');
      ctx.events.dispatch(() => attempt.handle({ type: 'LAUNCHED' }));
    })
    .catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
}
