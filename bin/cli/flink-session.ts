import { checkApplicationId } from './app-status.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { flinkProperties, type FlinkClusterOptions } from './flink-options.ts';
import { clusterDescriptor } from './flink-cluster.ts';

export interface SessionStartOptions extends FlinkClusterOptions {
  readonly detached?: boolean;
}

/**
 * `weft session start` = `yarn-session.sh`: deploys a Flink AM without a job; TaskManagers come
 * on demand. Detached: returns once the JobManager runs. Attached: stays until the session ends;
 * Ctrl-C stops it.
 */
export async function sessionStart(ctx: CliContext, o: SessionStartOptions): Promise<number> {
  const descriptor = clusterDescriptor(ctx);
  const { applicationId: appId, webInterfaceUrl: url } = await descriptor.deploySessionCluster({
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.queue !== undefined ? { queue: o.queue } : {}),
    properties: flinkProperties(o),
  });
  if (ctx.json) printJson(ctx, { applicationId: appId, webInterfaceUrl: url });
  else {
    ctx.out(`JobManager Web Interface: ${url}\n`);
    ctx.out(`Application ID: ${appId}\n`);
  }
  if (o.detached) {
    if (!ctx.json) {
      ctx.err(
        `The Flink YARN session cluster has been started in detached mode. In order to stop Flink gracefully, use the following command:\n` +
          `$ weft session stop ${appId}\n` +
          `If this should not be possible, then you can also kill Flink via YARN's web interface or via:\n` +
          `$ weft app kill ${appId}\n`,
      );
    }
    return 0;
  }
  const stop = (): void => {
    if (!ctx.json) ctx.err('Stopping the Flink session cluster\n');
    descriptor.retrieve(appId).shutDownCluster().catch(() => {});
  };
  process.once('SIGINT', stop);
  try {
    const app = await descriptor.waitForClusterEnd(appId);
    if (!ctx.json) ctx.out(`Application ${appId} finished with state ${app.state} and final status ${app.finalStatus}\n`);
    return app.finalStatus === 'SUCCEEDED' ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', stop);
  }
}

/** `weft session stop <appId>`: `DELETE /cluster` through the proxy, then waits for the app to finish. */
export async function sessionStop(ctx: CliContext, appId: string): Promise<number> {
  checkApplicationId(appId);
  const descriptor = clusterDescriptor(ctx);
  await descriptor.retrieve(appId).shutDownCluster();
  const app = await descriptor.waitForClusterEnd(appId);
  if (ctx.json) printJson(ctx, { applicationId: appId, state: app.state, finalStatus: app.finalStatus, diagnostics: app.diagnostics });
  else ctx.out(`Application ${appId} finished with state ${app.state} and final status ${app.finalStatus}\n`);
  return app.finalStatus === 'SUCCEEDED' ? 0 : 1;
}
