import request from 'supertest';
import type { Express } from 'express';
import type { AllocateResponse } from '../../rm/protocol/am-rm.ts';
import { AMRM_TOKEN_ALIAS, decodeCredentials } from '../../rm/protocol/tokens.ts';
import type { StartContainerRequest } from '../../rm/protocol/nm-container.ts';

/** An ApplicationMaster driven by the test (YARN's MockAM), holding the AMRM token it was launched with. */
export class MockAm {
  readonly token: string;
  responseId = 0;
  private readonly app: Express;

  constructor(app: Express, launch: StartContainerRequest) {
    this.app = app;
    const tokens = launch.containerLaunchContext.tokens;
    const creds = tokens ? decodeCredentials(tokens) : undefined;
    const token = creds?.tokens[AMRM_TOKEN_ALIAS];
    if (!token) throw new Error('launch context carries no AMRM token');
    this.token = token;
  }

  post(path: string, body: object) {
    return request(this.app).post(`/rpc/applicationmaster/${path}`).set('authorization', `Bearer ${this.token}`).send(body);
  }

  async register(trackingUrl = ''): Promise<Record<string, unknown>> {
    const res = await this.post('registerApplicationMaster', { host: 'localhost', rpcPort: 0, trackingUrl }).expect(200);
    return res.body as Record<string, unknown>;
  }

  async allocate(ask: object[] = [], release: string[] = []): Promise<AllocateResponse> {
    const res = await this.post('allocate', { ask, release, responseId: this.responseId, progress: 0.5 }).expect(200);
    const body = res.body as AllocateResponse;
    this.responseId = body.responseId;
    return body;
  }

  /** `trackingUrl`: the final tracking URL (a history server's), '' for none. */
  async finish(finalApplicationStatus = 'SUCCEEDED', diagnostics = '', trackingUrl = ''): Promise<void> {
    await this.post('finishApplicationMaster', { finalApplicationStatus, diagnostics, trackingUrl }).expect(200);
  }
}
