import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SystemClock, type Clock } from '../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../rm/common/logger.ts';
import { createRmConfig } from '../../../rm/config.ts';
import type { StartContainerRequest } from '../../../rm/protocol/nm-container.ts';
import { ResourceManager } from '../../../rm/resource-manager.ts';
import { SqliteRmStateStore } from '../../../rm/store/rm-state-store.ts';
import { attachWebUiHub, mountWebUi, type WebUiHubOptions } from '../../../webui/server.ts';
import { MockAm } from '../../doubles/mock-am.ts';
import { containerIdOf, MockNm, mockNmGateway } from '../../doubles/mock-nm.ts';

/**
 * A real ResourceManager on port 0 serving the web UI, with mock NodeManagers that register and
 * heartbeat through the ResourceTracker routes and record the containers the RM starts on them.
 */
export class UiRm {
  readonly rm: ResourceManager;
  /** The NMs the RM's container-launch gateway reaches, by node id. */
  readonly nms: Map<string, MockNm>;
  readonly dir: string;

  private constructor(rm: ResourceManager, dir: string, nms: Map<string, MockNm>) {
    this.rm = rm;
    this.dir = dir;
    this.nms = nms;
  }

  static async start(options: { clock?: Clock; hub?: WebUiHubOptions; properties?: Record<string, string | number | boolean> } = {}): Promise<UiRm> {
    const dir = mkdtempSync(join(tmpdir(), 'weft-webui-'));
    const nms = new Map<string, MockNm>();
    const rm = new ResourceManager({
      config: createRmConfig({ port: 0, host: '127.0.0.1', hostname: '127.0.0.1', dir, properties: options.properties ?? {} }),
      clock: options.clock ?? new SystemClock(),
      logger: createMemoryLogger('warn').logger,
      store: SqliteRmStateStore.open(dir),
      nmGateway: mockNmGateway(nms),
      extraRoutes: [mountWebUi],
      attachToServer: (server, r) => attachWebUiHub(server, r, options.hub),
    });
    await rm.start();
    return new UiRm(rm, dir, nms);
  }

  get url(): string {
    return this.rm.url;
  }

  async addNode(nodeId: string, memory = 8192, vCores = 8): Promise<MockNm> {
    const nm = new MockNm(() => this.rm.app, nodeId, memory, vCores);
    this.nms.set(nodeId, nm);
    await nm.register();
    return nm;
  }

  /** new-application + submit through the REST API; returns the app id. */
  async submit(name: string, user = 'alice', extra: Record<string, unknown> = {}): Promise<string> {
    const created = await request(this.rm.app).post(`/ws/v1/cluster/apps/new-application?user.name=${user}`).expect(200);
    const appId = (created.body as { 'application-id': string })['application-id'];
    await request(this.rm.app)
      .post(`/ws/v1/cluster/apps?user.name=${user}`)
      .send({ 'application-id': appId, 'application-name': name, 'am-container-spec': { commands: { command: 'sleep 100' } }, resource: { memory: 1024, vCores: 1 }, ...extra })
      .expect(202);
    return appId;
  }

  async kill(appId: string, user = 'alice'): Promise<void> {
    await request(this.rm.app).put(`/ws/v1/cluster/apps/${appId}/state?user.name=${user}`).send({ state: 'KILLED' });
  }

  async appState(appId: string): Promise<string> {
    const res = await request(this.rm.app).get(`/ws/v1/cluster/apps/${appId}`).expect(200);
    return (res.body as { app: { state: string } }).app.state;
  }

  /** The launch request of an app's AM container, once the RM has started it on some mock NM. */
  amLaunch(appId: string): { nm: MockNm; launch: StartContainerRequest } | undefined {
    const prefix = appId.replace(/^application_/, 'container_') + '_';
    for (const nm of this.nms.values()) {
      const launch = nm.started.find((s) => containerIdOf(s.containerToken).replace(/^container_e\d+_/, 'container_').startsWith(prefix));
      if (launch) return { nm, launch };
    }
    return undefined;
  }

  mockAm(launch: StartContainerRequest): MockAm {
    return new MockAm(this.rm.app, launch);
  }

  async stop(): Promise<void> {
    await this.rm.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
