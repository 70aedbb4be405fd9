import { connect, createServer, type Server } from 'node:net';
import { PartitionRequestClient } from './partition-request-client.ts';
import type { PartitionRegistry } from './partition-registry.ts';
import { PartitionRequestServerHandler } from './partition-request-server-handler.ts';

export interface ConnectionManagerOptions {
  readonly host: string;
  readonly port: number;
  /** How long close() waits for peers to close their side before destroying the sockets. */
  readonly closeTimeoutMs?: number;
}

/**
 * The data port of a TaskManager: a server that serves this TaskManager's partitions to remote
 * consumers, and one client connection per producing TaskManager this one reads from, shared by
 * all channels to it (many channels, one socket).
 */
export class ConnectionManager {
  private readonly registry: PartitionRegistry;
  private readonly options: ConnectionManagerOptions;
  private server: Server | null = null;
  private boundAddress: string | null = null;
  private readonly clients = new Map<string, PartitionRequestClient>();
  private readonly handlers = new Set<PartitionRequestServerHandler>();

  constructor(registry: PartitionRegistry, options: ConnectionManagerOptions) {
    this.registry = registry;
    this.options = options;
  }

  /** `host:port` consumers connect to; known after start(). */
  get address(): string {
    if (this.boundAddress === null) throw new Error('the network environment is not started');
    return this.boundAddress;
  }

  /** The bound address, or null before start(). */
  get localAddress(): string | null {
    return this.boundAddress;
  }

  get numServerConnections(): number {
    return this.handlers.size;
  }

  get numClientConnections(): number {
    return this.clients.size;
  }

  async start(): Promise<string> {
    if (this.server !== null) return this.address;
    const server = createServer((socket) => {
      const handler = new PartitionRequestServerHandler(socket, this.registry);
      this.handlers.add(handler);
      void handler.closed.then(() => this.handlers.delete(handler));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address();
    if (bound === null || typeof bound === 'string') throw new Error('data port has no TCP address');
    this.boundAddress = `${this.options.host}:${bound.port}`;
    return this.boundAddress;
  }

  /** The connection to a producing TaskManager, opened on first use. */
  getClient(address: string): PartitionRequestClient {
    const existing = this.clients.get(address);
    if (existing) return existing;
    const { host, port } = parseAddress(address);
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const client = new PartitionRequestClient(address, socket);
    this.clients.set(address, client);
    void client.closed.then(() => {
      if (this.clients.get(address) === client) this.clients.delete(address);
    });
    return client;
  }

  /** Closes every connection (gracefully, then by force after the timeout) and the server. */
  async close(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const client of this.clients.values()) closing.push(client.close());
    for (const handler of this.handlers) closing.push(handler.close());
    const server = this.server;
    this.server = null;
    if (server) closing.push(new Promise<void>((resolve) => server.close(() => resolve())));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.closeTimeoutMs ?? 2000);
    });
    const result = await Promise.race([Promise.all(closing), timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      for (const client of this.clients.values()) client.destroy();
      for (const handler of this.handlers) handler.destroy();
      await Promise.all(closing);
    }
    this.clients.clear();
    this.handlers.clear();
  }
}

export function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a host:port address: ${address}`);
  return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
}
