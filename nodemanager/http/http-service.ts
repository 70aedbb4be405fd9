import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Service } from '../../rm/common/lifecycle.ts';

/** The NM's one HTTP port: NM REST, container logs and ContainerManagement. */
export class HttpService implements Service {
  readonly name = 'HttpServer';
  private readonly app: Express;
  private readonly port: number;
  private readonly host: string;
  private server: Server | undefined;

  constructor(app: Express, port: number, host: string) {
    this.app = app;
    this.port = port;
    this.host = host;
  }

  /** The bound port (the real one when configured as 0). */
  get boundPort(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  start(): Promise<void> {
    const server = createServer(this.app);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        this.server = server;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
