import type { PrometheusSdTargetGroup } from '../protocol/client-rm.ts';
import type { RmContext } from '../rm-context.ts';
import { PROMETHEUS_PATH } from '../metrics/rm-metrics.ts';

/** Node states whose NM process is gone or no longer part of the cluster. */
const GONE_NODE_STATES: readonly string[] = ['LOST', 'SHUTDOWN', 'DECOMMISSIONED', 'REBOOTED'];

/**
 * `GET /ws/v1/cluster/prometheus-sd`: Prometheus HTTP service discovery (`http_sd_configs`) over
 * what the RM knows: itself, every NM it has not lost, and every container endpoint the running
 * applications' AMs announced on their allocate heartbeats (the Flink AM: its JobManager and
 * TaskManagers) whose container still runs. A container that completes, or an application that
 * ends, drops out at once, whatever its AM last said. Labels: `weft_component`, and for
 * containers `app_id`, `container_id`, `queue`, `user`, `node_id` (`job` stays Prometheus's).
 */
export function prometheusServiceDiscovery(ctx: RmContext): PrometheusSdTargetGroup[] {
  const groups: PrometheusSdTargetGroup[] = [{ targets: [new URL(ctx.rmAddress).host], labels: { __metrics_path__: PROMETHEUS_PATH, weft_component: 'resourcemanager' } }];
  for (const node of ctx.nodes.values()) {
    if (GONE_NODE_STATES.includes(node.state)) continue;
    groups.push({ targets: [node.httpAddress], labels: { __metrics_path__: PROMETHEUS_PATH, weft_component: 'nodemanager', node_id: node.nodeId } });
  }
  for (const app of ctx.apps.values()) {
    const attempt = app.currentAttempt;
    if (app.isFinal || !attempt || attempt.isFinal) continue;
    for (const endpoint of attempt.metricsEndpoints) {
      const container = attempt.containers.get(endpoint.containerId) ?? (attempt.masterContainer?.id === endpoint.containerId ? attempt.masterContainer : undefined);
      if (!container || container.isFinal) continue;
      groups.push({
        targets: [endpoint.address],
        labels: {
          __metrics_path__: endpoint.metricsPath,
          weft_component: endpoint.component,
          app_id: app.appId,
          container_id: container.id,
          queue: app.queue,
          user: app.user,
          node_id: container.nodeId,
        },
      });
    }
  }
  return groups;
}
