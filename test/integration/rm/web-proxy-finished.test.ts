import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { historyUrl } from '../../../rm/http/web-proxy.ts';
import { MockAm } from '../../doubles/mock-am.ts';
import { RmHarness, settle } from '../../doubles/rm-harness.ts';

/**
 * The web proxy of an application that is not running: a finished one sends its users to the URL
 * its AM unregistered with (a Flink JobManager names its history server), also after an RM
 * restart; without one, a browser gets a page saying what happened and a REST client YARN's
 * RemoteException, never an HTML body it cannot parse.
 */
let h: RmHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function finishedApp(harness: RmHarness, finalTrackingUrl: string, body: Record<string, unknown> = {}): Promise<string> {
  const nm = harness.nms.get('a:1') ?? (await harness.addNode('a:1'));
  const appId = await harness.submit(body);
  const am = new MockAm(harness.app, nm.started.at(-1)!);
  await am.register('http://127.0.0.1:1/ui');
  await am.finish('SUCCEEDED', 'job done', finalTrackingUrl);
  await nm.heartbeat([{ containerId: harness.rm.ctx.apps.get(appId)!.currentAttempt!.masterContainer!.id, state: 'COMPLETE', exitStatus: 0, diagnostics: '' }]);
  await settle();
  return appId;
}

describe('the web proxy of a finished application', () => {
  it('redirects to the final tracking URL with the same path, also after an RM restart', async () => {
    h = await new RmHarness().start();
    const appId = await finishedApp(h, 'http://history.example:8082', { 'application-type': 'Apache Flink' });
    const root = await request(h.app).get(`/proxy/${appId}/`).set('accept', BROWSER).expect(302);
    expect(root.headers.location).toBe('http://history.example:8082/');
    const rest = await request(h.app).get(`/proxy/${appId}/jobs/overview?x=1`).expect(302);
    expect(rest.headers.location).toBe('http://history.example:8082/jobs/overview?x=1');
    await h.restart();
    expect((await request(h.app).get(`/proxy/${appId}`).expect(302)).headers.location).toBe('http://history.example:8082/');
  });

  it('shows a browser a page about the finished app when there is no history URL, and a REST client a RemoteException', async () => {
    h = await new RmHarness().start();
    const appId = await finishedApp(h, '');
    const page = await request(h.app).get(`/proxy/${appId}/`).set('accept', BROWSER).expect(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('test-app has finished');
    expect(page.text).toContain('SUCCEEDED');
    expect(page.text).toContain('job done');
    expect(page.text).toContain(`/#/apps/${appId}`);
    expect(page.text).toContain(`weft logs ${appId}`);
    expect(page.text).not.toContain('weft history start');
    const api = await request(h.app).get(`/proxy/${appId}/`).expect(404);
    expect(api.headers['content-type']).toMatch(/json/);
    expect((api.body as { RemoteException: { message: string } }).RemoteException.message).toContain('has finished');
  });

  it('tells a Flink app without a history server how to get one', async () => {
    h = await new RmHarness().start();
    const appId = await finishedApp(h, '', { 'application-type': 'Apache Flink', 'application-name': 'WordCount <b>' });
    const page = await request(h.app).get(`/proxy/${appId}/`).set('accept', BROWSER).expect(404);
    expect(page.text).toContain('weft history start');
    expect(page.text).toContain('jobmanager.archive.fs.dir');
    expect(page.text).toContain('WordCount &#60;b&#62; has finished');
  });

  it('answers a browser with a page for an unknown app and for one that has not registered its UI', async () => {
    h = await new RmHarness().start();
    const unknown = await request(h.app).get('/proxy/application_1_0042/').set('accept', BROWSER).expect(404);
    expect(unknown.headers['content-type']).toMatch(/^text\/html/);
    expect(unknown.text).toContain('Application application_1_0042 could not be found');
    await h.addNode('a:1');
    const appId = await h.submit();
    const pending = await request(h.app).get(`/proxy/${appId}/`).set('accept', BROWSER).expect(404);
    expect(pending.text).toContain('has no web UI yet');
    expect(((await request(h.app).get(`/proxy/${appId}/`).expect(404)).body as { RemoteException: { message: string } }).RemoteException.message).toContain('has not registered a tracking URL');
  });
});

describe('historyUrl', () => {
  it('joins the final URL and the proxied path; only http(s)', () => {
    expect(historyUrl('http://h:8082', '/')).toBe('http://h:8082/');
    expect(historyUrl('http://h:8082/base/', '/jobs/overview')).toBe('http://h:8082/base/jobs/overview');
    expect(historyUrl('h:8082', '/x')).toBe('http://h:8082/x');
    expect(historyUrl('', '/')).toBeUndefined();
    expect(historyUrl('javascript:alert(1)', '/')).toBeUndefined();
  });
});
