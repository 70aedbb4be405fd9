import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../../bin/cli/cli-context.ts';
import type { JobDetails } from '../../../../runtime/client/rest-cluster-client.ts';
import { ResourceWaitReport } from '../../../../bin/cli/resource-wait-report.ts';

const JID = 'a'.repeat(32);
const job = (state: string, reason?: string): JobDetails => ({
  jid: JID,
  name: 'WordCount',
  state,
  'start-time': 0,
  'end-time': -1,
  duration: 0,
  'waiting-for-resources': reason === undefined ? null : { reason },
});

function report(json = false) {
  const err: string[] = [];
  const ctx = { json, err: (t: string) => void err.push(t) } as unknown as CliContext;
  return { r: new ResourceWaitReport(ctx), err };
}

describe('the attached CLI on a job waiting for slots', () => {
  it('prints the reason each time it changes, and once when the slots are there', () => {
    const { r, err } = report();
    r.observe(job('RUNNING', 'Waiting for slots: 0 of 1 acquired. 1 TaskManager container requested from YARN, not allocated yet.'));
    r.observe(job('RUNNING', 'Waiting for slots: 0 of 1 acquired. 1 TaskManager container requested from YARN, not allocated yet.'));
    r.observe(job('RUNNING', 'Waiting for slots: 0 of 1 acquired. 1 TaskManager starting.'));
    r.observe(job('RUNNING'));
    r.observe(job('RUNNING'));
    expect(err).toEqual([
      `Job ${JID}: Waiting for slots: 0 of 1 acquired. 1 TaskManager container requested from YARN, not allocated yet.\n`,
      `Job ${JID}: Waiting for slots: 0 of 1 acquired. 1 TaskManager starting.\n`,
      `Job ${JID} has its slots; deploying its tasks.\n`,
    ]);
  });

  it('says nothing for a job that never waited, or with --json', () => {
    const quiet = report();
    quiet.r.observe(job('RUNNING'));
    quiet.r.observe(job('FINISHED'));
    expect(quiet.err).toEqual([]);
    const json = report(true);
    json.r.observe(job('RUNNING', 'Waiting for slots'));
    expect(json.err).toEqual([]);
  });
});
