import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '../../rm/common/clock.ts';
import { createMemoryLogger } from '../../rm/common/logger.ts';
import { createRmConfig } from '../../rm/config.ts';
import { ResourceManager } from '../../rm/resource-manager.ts';
import { SqliteRmStateStore } from '../../rm/store/rm-state-store.ts';
import { MockNm, mockNmGateway } from './mock-nm.ts';

/** An in-process ResourceManager on a ManualClock with mock NMs wired to its AM launcher. */
export class RmHarness {
  readonly clock = new ManualClock();
  readonly dir: string;
  readonly nms = new Map<string, MockNm>();
  readonly log = createMemoryLogger('info');
  rm: ResourceManager;
  private readonly properties: Record<string, string | number | boolean>;

  constructor(properties: Record<string, string | number | boolean> = {}, dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'weft-rm-'));
    this.properties = properties;
    this.rm = this.build();
  }

  private build(): ResourceManager {
    const config = createRmConfig({ port: 0, host: '127.0.0.1', dir: this.dir, properties: this.properties });
    return new ResourceManager({
      config,
      clock: this.clock,
      logger: this.log.logger,
      store: SqliteRmStateStore.open(this.dir),
      nmGateway: mockNmGateway(this.nms),
    });
  }

  get app() {
    return this.rm.app;
  }

  async start(): Promise<this> {
    await this.rm.start();
    return this;
  }

  /** Stops the RM and starts a new one on the same state directory (an RM restart). */
  async restart(): Promise<void> {
    await this.rm.stop();
    this.rm = this.build();
    await this.rm.start();
  }

  async addNode(nodeId = `host${this.nms.size + 1}:4${this.nms.size + 1}000`, memory = 8192, vCores = 8): Promise<MockNm> {
    const nm = new MockNm(() => this.rm.app, nodeId, memory, vCores);
    this.nms.set(nodeId, nm);
    await nm.register();
    await settle();
    return nm;
  }

  /** new-application + submit; returns the app id. */
  async submit(body: Record<string, unknown> = {}, user = 'alice'): Promise<string> {
    const created = await request(this.rm.app).post(`/ws/v1/cluster/apps/new-application?user.name=${user}`).expect(200);
    const appId = (created.body as { 'application-id': string })['application-id'];
    await request(this.rm.app)
      .post(`/ws/v1/cluster/apps?user.name=${user}`)
      .send({
        'application-id': appId,
        'application-name': 'test-app',
        'am-container-spec': { commands: { command: 'sleep 100' } },
        resource: { memory: 1024, vCores: 1 },
        ...body,
      })
      .expect(202);
    await settle();
    return appId;
  }

  async app_(appId: string): Promise<Record<string, unknown>> {
    const res = await request(this.rm.app).get(`/ws/v1/cluster/apps/${appId}`).expect(200);
    return (res.body as { app: Record<string, unknown> }).app;
  }

  async stop(): Promise<void> {
    await this.rm.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Lets queued microtasks and resolved promises (scheduling passes, AM launches) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
