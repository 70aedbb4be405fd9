import { createHttpClient } from '../../rm/common/http-client.ts';
import type { Client } from '../../rm/common/route.ts';
import { taskExecutorRoutes } from '../protocol/task-executor-gateway.ts';

/** A TaskManager as a JobMaster calls it: the typed client of taskExecutorRoutes, or a test double. */
export type TaskExecutorGateway = Client<typeof taskExecutorRoutes>;
export type TaskExecutorGatewayFactory = (address: string) => TaskExecutorGateway;

/** HTTP clients, one per TaskManager address, with a bounded timeout so a hung TM shows as a failed RPC. */
export function httpTaskExecutorGateways(timeoutMs = 10_000): TaskExecutorGatewayFactory {
  const clients = new Map<string, TaskExecutorGateway>();
  return (address) => {
    let client = clients.get(address);
    if (!client) {
      client = createHttpClient(address, taskExecutorRoutes, { timeoutMs, retries: 1 });
      clients.set(address, client);
    }
    return client;
  };
}
