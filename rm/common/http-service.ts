import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Service } from './lifecycle.ts';

/** A process's one HTTP port as a service: listens at start, closes every connection at stop. */
export class HttpService implements Service {
  readonly name = 'HttpServer';
  private readonly app: Express;
  private readonly port: number;
  private readonly host: string;
  private listening: Server | undefined;

  constructor(app: Express, port: number, host: string) {
    this.app = app;
    this.port = port;
    this.host = host;
  }

  /** The listening server, between start and stop (for upgrade handlers). */
  get server(): Server | undefined {
    return this.listening;
  }

  /** The bound port (the real one when configured as 0). */
  get boundPort(): number {
    return (this.listening?.address() as AddressInfo | null)?.port ?? 0;
  }

  start(): Promise<void> {
    const server = createServer(this.app);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        this.listening = server;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    const server = this.listening;
    this.listening = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
