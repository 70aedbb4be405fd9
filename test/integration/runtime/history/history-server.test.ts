import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import { HistoryServer } from '../../../../runtime/history/history-server.ts';
import { writeJobArchive } from '../../../../runtime/history/job-archive.ts';

/**
 * Flink's HistoryServer on a real port over archive directories: it serves what JobManagers
 * archived (Flink's `{"archive":[{path,json}]}` files), picks up new archives on each refresh
 * (driven by a manual clock), keeps at most `retained-jobs` per directory and says web-history.
 */
const ID = (n: number): string => n.toString(16).padStart(32, '0');
const overview = (n: number, end: number) => ({ jid: ID(n), name: `job-${n}`, state: 'FINISHED', 'start-time': end - 10, 'end-time': end, duration: 10, 'last-modification': end, tasks: { total: 1 } });
const archive = (dir: string, n: number, end = 1000 + n): string =>
  writeJobArchive(dir, ID(n), [
    { path: '/jobs/overview', json: JSON.stringify({ jobs: [overview(n, end)] }) },
    { path: `/jobs/${ID(n)}`, json: JSON.stringify({ jid: ID(n), name: `job-${n}`, state: 'FINISHED' }) },
    { path: `/jobs/${ID(n)}/vertices/${'ab'.repeat(16)}`, json: JSON.stringify({ id: 'ab'.repeat(16), parallelism: 2 }) },
  ]);

let dirs: string[];
let clock: ManualClock;
let server: HistoryServer | undefined;

beforeEach(() => {
  dirs = [mkdtempSync(join(tmpdir(), 'weft-archive-a-')), mkdtempSync(join(tmpdir(), 'weft-archive-b-'))];
  clock = new ManualClock(1_000_000);
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(conf: Record<string, string> = {}): Promise<HistoryServer> {
  const config = createFlinkConfiguration({ 'historyserver.web.port': '0', 'historyserver.web.address': '127.0.0.1', 'historyserver.archive.fs.dir': dirs.join(','), ...conf });
  server = new HistoryServer({
    config,
    clock,
    logger: createMemoryLogger('info').logger,
    mountDashboard: (app) => app.get('/', (_req, res) => res.type('html').send('<!doctype html>dashboard')),
  });
  await server.start();
  return server;
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly body: Record<string, unknown> & { errors?: string[]; features?: unknown };
}
const get = async (path: string): Promise<Answer> => {
  const res = await fetch(`${server!.url}${path}`);
  const text = await res.text();
  return { status: res.status, text, body: text.startsWith('{') ? (JSON.parse(text) as Answer['body']) : {} };
};
/** The job ids `/jobs/overview` lists, in its order. */
const listed = async (): Promise<string[]> => ((await get('/jobs/overview')).body.jobs as { jid: string }[]).map((j) => j.jid);

describe('history server', () => {
  it('serves archived jobs from every archive dir, the dashboard at /, and web-history in /config', async () => {
    archive(dirs[0]!, 1);
    archive(dirs[1]!, 2);
    writeFileSync(join(dirs[0]!, 'README'), 'not an archive');
    await start();
    expect(server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const config = await get('/config');
    expect(config.body.features).toEqual({ 'web-submit': false, 'web-cancel': false, 'web-rescale': false, 'web-history': true });
    expect(config.body['refresh-interval']).toBe(10_000);
    expect(await listed()).toEqual([ID(2), ID(1)]);
    expect((await get(`/jobs/${ID(1)}`)).body).toEqual({ jid: ID(1), name: 'job-1', state: 'FINISHED' });
    expect((await get(`/v1/jobs/${ID(2)}/vertices/${'ab'.repeat(16)}`)).body).toEqual({ id: 'ab'.repeat(16), parallelism: 2 });
    const notArchived = await get(`/jobs/${ID(1)}/checkpoints`);
    expect(notArchived.status).toBe(404);
    expect(notArchived.body.errors?.[0]).toContain('was not archived');
    const unknown = await get(`/jobs/${ID(9)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ errors: [`Job ${ID(9)} is not in the history server's archives`] });
    expect((await get('/')).text).toContain('dashboard');
    expect((await get('/taskmanagers')).status).toBe(404);
  });

  it('picks up archives written later on the next refresh (historyserver.archive.fs.refresh-interval)', async () => {
    await start({ 'historyserver.archive.fs.refresh-interval': '2 s' });
    expect((await listed())).toEqual([]);
    archive(dirs[0]!, 3);
    clock.advance(1_999);
    expect((await listed())).toEqual([]);
    clock.advance(1);
    expect((await listed())).toEqual([ID(3)]);
  });

  it('keeps the newest historyserver.archive.retained-jobs archives per dir and deletes the rest', async () => {
    const old = archive(dirs[0]!, 1);
    utimesSync(old, 1000, 1000);
    const middle = archive(dirs[0]!, 2);
    utimesSync(middle, 2000, 2000);
    archive(dirs[0]!, 3);
    archive(dirs[1]!, 4);
    await start({ 'historyserver.archive.retained-jobs': '2' });
    expect((await listed()).sort()).toEqual([ID(2), ID(3), ID(4)]);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(middle)).toBe(true);
  });

  it('forgets jobs whose archive was removed only with historyserver.archive.clean-expired-jobs', async () => {
    const a = archive(dirs[0]!, 1);
    const b = archive(dirs[1]!, 2);
    await start({ 'historyserver.archive.clean-expired-jobs': 'true', 'historyserver.archive.fs.refresh-interval': '1000' });
    rmSync(a);
    clock.advance(1000);
    expect((await listed())).toEqual([ID(2)]);
    await server!.stop();
    await start({ 'historyserver.archive.fs.refresh-interval': '1000' });
    rmSync(b);
    clock.advance(1000);
    expect((await listed())).toEqual([ID(2)]);
  });

  it('skips an archive it cannot read and loads it once it is rewritten', async () => {
    writeFileSync(join(dirs[0]!, ID(5)), '{"archive": "nope"');
    await start({ 'historyserver.archive.fs.refresh-interval': '1000' });
    expect((await listed())).toEqual([]);
    archive(dirs[0]!, 5);
    utimesSync(join(dirs[0]!, ID(5)), 5000, 5000);
    clock.advance(1000);
    expect((await listed())).toEqual([ID(5)]);
  });

  it('refuses to start without historyserver.archive.fs.dir, naming the key', () => {
    expect(() => new HistoryServer({ config: createFlinkConfiguration({}), clock, logger: createMemoryLogger('info').logger })).toThrow(/historyserver\.archive\.fs\.dir is not set/);
    expect(() => new HistoryServer({ config: createFlinkConfiguration({ 'historyserver.archive.fs.dir': 'hdfs:///flink/completed' }), clock, logger: createMemoryLogger('info').logger })).toThrow(
      /only local directories/,
    );
  });

  it('says which port is taken', async () => {
    const other = await start();
    const port = new URL(other.url).port;
    const second = new HistoryServer({
      config: createFlinkConfiguration({ 'historyserver.web.port': port, 'historyserver.web.address': '127.0.0.1', 'historyserver.archive.fs.dir': dirs[0]! }),
      clock,
      logger: createMemoryLogger('info').logger,
    });
    await expect(second.start()).rejects.toThrow(`historyserver.web.port ${port} is in use`);
    await second.stop();
  });
});
