import { describe, expect, it } from 'vitest';
import { flinkProperties } from '../../../../bin/cli/flink-options.ts';
import { formatJobList } from '../../../../bin/cli/flink-format.ts';
import { flinkSubmissionContext, jobManagerCommand, waitForDeployment, type YarnClusterDescriptorContext } from '../../../../am/flink/yarn-cluster-descriptor.ts';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';

/** A CLI context whose RM answers the app report with the given states, one per poll (the last repeats). */
function cliWith(reports: { state: string; diagnostics?: string }[]) {
  const clock = new ManualClock();
  const err: string[] = [];
  let polls = 0;
  const rm = {
    app: async () => {
      const r = reports[Math.min(polls++, reports.length - 1)]!;
      return { app: { id: 'application_1_0001', state: r.state, diagnostics: r.diagnostics ?? '' } };
    },
  };
  const ctx = { rmUrl: 'http://rm', user: 'u', rm, clock, progress: (t: string) => void err.push(t) } as unknown as YarnClusterDescriptorContext;
  return { ctx, clock, err, polls: () => polls };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('Flink client on YARN (weft session/run)', () => {
  it('prints deployment progress, then "deployed successfully" once RUNNING', async () => {
    const { ctx, clock, err } = cliWith([{ state: 'SUBMITTED' }, { state: 'ACCEPTED' }, { state: 'ACCEPTED' }, { state: 'RUNNING' }]);
    const done = waitForDeployment(ctx, 'application_1_0001');
    for (let i = 0; i < 4; i++) {
      await settle();
      clock.advance(250);
    }
    await done;
    expect(err).toEqual(['Deploying cluster, current state SUBMITTED\n', 'Deploying cluster, current state ACCEPTED\n', 'YARN application has been deployed successfully.\n']);
  });

  it('polls every 250 ms and says after 60 s why the app is still waiting', async () => {
    const { ctx, clock, err, polls } = cliWith([{ state: 'ACCEPTED', diagnostics: 'Queue default is full: waiting for AM container' }]);
    void waitForDeployment(ctx, 'application_1_0001').catch(() => {});
    for (let t = 0; t < 60_000; t += 250) {
      await settle();
      clock.advance(250);
    }
    await settle();
    expect(polls()).toBe(241);
    expect(err).toContain('Deployment took more than 60 seconds. Please check if the requested resources are available in the YARN cluster\n');
    expect(err).toContain('Diagnostics: Queue default is full: waiting for AM container\n');
  });

  it("prints the RM's diagnostic each time it changes while the app waits, not only after 60 s", async () => {
    const full = "Application is added to the scheduler and is not yet activated. Queue's AM resource limit exceeded.";
    const { ctx, clock, err } = cliWith([
      { state: 'ACCEPTED' },
      { state: 'ACCEPTED', diagnostics: full },
      { state: 'ACCEPTED', diagnostics: full },
      { state: 'ACCEPTED', diagnostics: 'Application is Activated, waiting for resources to be assigned for AM.' },
      { state: 'RUNNING' },
    ]);
    const done = waitForDeployment(ctx, 'application_1_0001');
    for (let i = 0; i < 5; i++) {
      await settle();
      clock.advance(250);
    }
    await done;
    expect(err).toEqual([
      'Deploying cluster, current state ACCEPTED\n',
      `Diagnostics from YARN: ${full}\n`,
      'Diagnostics from YARN: Application is Activated, waiting for resources to be assigned for AM.\n',
      'YARN application has been deployed successfully.\n',
    ]);
  });

  it('fails with YARN diagnostics when the app switches to FAILED during deployment', async () => {
    const { ctx } = cliWith([{ state: 'FAILED', diagnostics: 'AM container exited with code 1' }]);
    await expect(waitForDeployment(ctx, 'application_1_0001')).rejects.toThrow(
      /The YARN application unexpectedly switched to state FAILED during deployment\.\nDiagnostics from YARN: AM container exited with code 1/,
    );
  });

  it('builds the AM submission: type "Apache Flink", JobManager memory, quoted --conf', () => {
    const props = flinkProperties({ tmMemory: '512', slots: '3', jmMemory: '384', D: ['heartbeat.interval=500 ms', 'taskmanager.numberOfTaskSlots=9'] });
    expect(props).toEqual([
      ['heartbeat.interval', '500 ms'],
      ['taskmanager.memory.process.size', '512m'],
      ['taskmanager.numberOfTaskSlots', '3'],
      ['jobmanager.memory.process.size', '384m'],
    ]);
    const ctx = flinkSubmissionContext('application_1_0001', { mode: 'session', name: 'S', properties: props }, createFlinkConfiguration(props));
    expect(ctx).toMatchObject({ 'application-type': 'Apache Flink', resource: { memory: 384, vCores: 1 }, 'max-app-attempts': 1, 'application-name': 'S' });
    expect(jobManagerCommand('per-job', [['heartbeat.interval', '500 ms']], ['--args', '["a b"]'])).toBe(
      `{{WEFT_HOME}}/bin/weft-run {{WEFT_HOME}}/am/flink/job-manager-main.ts --mode per-job --args '["a b"]' --conf 'heartbeat.interval=500 ms' --conf 'web.log.path=<LOG_DIR>/jobmanager.log' 1><LOG_DIR>/jobmanager.out 2><LOG_DIR>/jobmanager.err`,
    );
  });

  it('lists jobs like `flink list`', () => {
    const at = new Date(2026, 10, 26, 4, 1, 3).getTime();
    const text = formatJobList([
      { jid: 'a'.repeat(32), name: 'SlowCount', state: 'RUNNING', 'start-time': at, 'end-time': -1, duration: 1 },
      { jid: 'b'.repeat(32), name: 'Union', state: 'FINISHED', 'start-time': at + 1000, 'end-time': at + 2000, duration: 1000 },
    ]);
    expect(text).toBe(
      [
        '------------------ Running/Restarting Jobs -------------------',
        `26.11.2026 04:01:03 : ${'a'.repeat(32)} : SlowCount (RUNNING)`,
        '--------------------------------------------------------------',
        'No scheduled jobs.',
        '------------------ Terminated Jobs -------------------',
        `26.11.2026 04:01:04 : ${'b'.repeat(32)} : Union (FINISHED)`,
        '------------------------------------------------------',
        '',
      ].join('\n'),
    );
  });
});
