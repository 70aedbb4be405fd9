import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, RmTestContext, anyAsk, settle } from '../../doubles/rm-test-context.ts';

const N1 = 'host1:45454';

let t: RmTestContext;
afterEach(() => t.stop());

async function report(appId: string) {
  const res = await t.rm.clientRm.handlers().app({ params: { appid: appId }, query: {}, body: undefined, caller: CALLER, origin: 'http://rm' });
  if (!('app' in res)) throw new Error('unexpected reply');
  return res.app;
}

describe("a RUNNING app's report while its container requests wait", () => {
  it('says why YARN does not place them, and nothing once they are placed or withdrawn', async () => {
    t = new RmTestContext();
    await t.registerNode(N1, { memory: 8192, vCores: 8 });
    const { app, attempt } = await t.runningApp(N1);
    expect((await report(app.appId)).diagnostics).toBe('');
    // AM 1024 + 4096 of 8192: the second 4096 MB container does not fit the queue (the whole cluster).
    t.allocate(attempt, { ask: [anyAsk(2, 4096)] });
    await settle();
    const waiting = await report(app.appId);
    expect(waiting.state).toBe('RUNNING');
    expect(waiting.diagnostics).toBe(
      'Queue root is at its maximum capacity: used <memory:5120, vCores:2> of <memory:8192, vCores:8> (absoluteMaxCapacity 100%). ' +
        'Raise yarn.scheduler.capacity.root.maximum-capacity or wait for its containers to finish.',
    );
    t.allocate(attempt, { ask: [anyAsk(0, 4096)] });
    await settle();
    expect((await report(app.appId)).diagnostics).toBe('');
  });
});
