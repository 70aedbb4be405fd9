import { describe, expect, it } from 'vitest';
import { expiredAppLogDirs } from '../../../../rm/logaggregation/aggregated-log-deletion.ts';

const dir = (appId: string, modified: number) => ({ appId, path: `/logs/u/logs/${appId}`, modified });

describe('which aggregated logs expire (AggregatedLogDeletionService)', () => {
  const dirs = [dir('application_1_0001', 1_000), dir('application_1_0002', 9_000), dir('application_1_0003', 1_000)];
  it('keeps everything when retain-seconds is -1 (YARN default)', () => {
    expect(expiredAppLogDirs(dirs, 100_000, -1, () => false)).toEqual([]);
  });
  it('expires dirs older than retain-seconds, but never those of a running app', () => {
    const running = (id: string) => id === 'application_1_0003';
    expect(expiredAppLogDirs(dirs, 10_000, 5, running).map((d) => d.appId)).toEqual(['application_1_0001']);
    expect(expiredAppLogDirs(dirs, 20_000, 5, running).map((d) => d.appId)).toEqual(['application_1_0001', 'application_1_0002']);
  });
});
