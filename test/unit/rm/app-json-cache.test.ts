import { afterEach, describe, expect, it } from 'vitest';
import { RmTestContext } from '../../doubles/rm-test-context.ts';
import { AppJsonCache } from '../../../rm/web/app-json-cache.ts';
import { appInfo } from '../../../rm/web/app-info.ts';

let t: RmTestContext;
afterEach(() => t.stop());

describe('AppJsonCache', () => {
  it('renders what JSON.stringify(appInfo) gives, as the app, the clock and the cluster change', async () => {
    t = new RmTestContext();
    const cache = new AppJsonCache(t.ctx);
    const waiting = await t.submitApp({ resource: { memory: 1024, vCores: 1 } });
    const same = (): void => expect(JSON.parse(cache.json(waiting))).toEqual(JSON.parse(JSON.stringify(appInfo(t.ctx, waiting))));
    same();
    await t.advance(1500);
    same();
    // A node joins (cluster capacity), the AM is placed and launched, the app is killed.
    await t.registerNode('host1:45454');
    same();
    t.rm.scheduling.run();
    await t.advance(0);
    same();
    await t.rm.clientRm.handlers().updateAppState({
      params: { appid: waiting.appId },
      query: {},
      body: { state: 'KILLED' },
      caller: { user: 'alice', remoteAddress: '127.0.0.1' },
      origin: 'http://rm',
    });
    await t.advance(0);
    expect(waiting.isFinal).toBe(true);
    same();
    await t.advance(60_000);
    same();
  });
});
