/** A part of a process that starts and stops (YARN's AbstractService, reduced to what we use). */
export interface Service {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** Starts children in order and stops them in reverse; stop errors surface after all stopped. */
export class CompositeService implements Service {
  readonly name: string;
  private readonly children: readonly Service[];
  private started: Service[] = [];

  constructor(name: string, children: readonly Service[]) {
    this.name = name;
    this.children = children;
  }

  async start(): Promise<void> {
    for (const child of this.children) {
      try {
        await child.start();
      } catch (err) {
        await this.stop().catch(() => {});
        throw err;
      }
      this.started.push(child);
    }
  }

  async stop(): Promise<void> {
    let first: unknown;
    for (const child of this.started.reverse()) {
      try {
        await child.stop();
      } catch (err) {
        first ??= err;
      }
    }
    this.started = [];
    if (first !== undefined) throw first instanceof Error ? first : new Error(`${this.name}: a service failed to stop`, { cause: first });
  }
}
