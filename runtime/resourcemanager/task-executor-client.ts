import { createHttpClient } from '../../rm/common/http-client.ts';
import type { Client } from '../../rm/common/route.ts';
import { taskExecutorRoutes } from '../protocol/task-executor-gateway.ts';

/** The calls the Flink RM makes on a TaskManager. */
export type TaskExecutorClient = Pick<Client<typeof taskExecutorRoutes>, 'requestSlot' | 'freeSlot' | 'heartbeatFromResourceManager'>;

/** Builds the client for a TaskManager's RPC base URL; tests pass in-process fakes. */
export type TaskExecutorClientFactory = (address: string) => TaskExecutorClient;

export const httpTaskExecutorClientFactory: TaskExecutorClientFactory = (address) =>
  createHttpClient(address, taskExecutorRoutes, { retries: 1, timeoutMs: 10_000 });
