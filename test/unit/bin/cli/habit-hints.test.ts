import { describe, expect, it } from 'vitest';
import { formatHabitHint, habitHint } from '../../../../bin/cli/habit-hints.ts';

const hint = (line: string): string | undefined => habitHint(line.split(' ').filter((t) => t !== ''))?.command;

describe('yarn and flink habits typed at weft', () => {
  it('maps yarn application/node/queue/logs options to weft commands', () => {
    expect(hint('application -list')).toBe('weft app list');
    expect(hint('yarn application -list -appStates ALL')).toBe('weft app list --states ALL');
    expect(hint('app -status application_1_0001')).toBe('weft app status application_1_0001');
    expect(hint('yarn application -kill application_1_0001')).toBe('weft app kill application_1_0001');
    expect(hint('yarn node -list -all')).toBe('weft node list --all');
    expect(hint('queue -status default')).toBe('weft queue status default');
    expect(hint('yarn logs -applicationId application_1_0001 -containerId container_1_0001_01_000001')).toBe(
      'weft logs application_1_0001 --container container_1_0001_01_000001',
    );
  });

  it('maps flink list/cancel/run and yarn-session.sh, keeping global options', () => {
    expect(hint('list -yid application_1_0002')).toBe('weft job list --app application_1_0002');
    expect(hint('--rm http://h:8088 flink cancel -yid application_1_0002 a1b2')).toBe('weft --rm http://h:8088 job cancel --app application_1_0002 a1b2');
    expect(hint('list')).toBe('weft job list --app <appId>');
    expect(hint('run -m yarn-cluster -p 2 -d job.ts --input in.txt')).toBe('weft run --target per-job --parallelism 2 --detached job.ts -- --input in.txt');
    expect(hint('run -t yarn-per-job -yjm 1024 -ytm 2048 -ys 2 job.ts')).toBe('weft run --target per-job --jm-memory 1024 --tm-memory 2048 --slots 2 job.ts');
    expect(hint('run -t yarn-session -Dyarn.application.id=application_1_3 -D parallelism.default=2 job.ts')).toBe(
      'weft run --target session --app application_1_3 -D parallelism.default=2 job.ts',
    );
    expect(hint('run -yid application_1_3 -s /savepoints/x job.ts')).toBe('weft run --target session --app application_1_3 job.ts');
    expect(hint('run-application -t yarn-application job.ts')).toBe('weft run-application job.ts');
    expect(hint('yarn-session.sh -d -jm 1024 -tm 2048 -s 2 -nm demo')).toBe('weft session start --detached --jm-memory 1024 --tm-memory 2048 --slots 2 --name demo');
    expect(hint('./bin/yarn-session.sh -id application_1_4')).toBe('weft job list --app application_1_4');
    expect(hint('job list -yid application_1_4')).toBe('weft job list --app application_1_4');
  });

  it('says nothing for commands it does not know or that are already weft commands', () => {
    expect(hint('sesion start')).toBeUndefined();
    expect(hint('app list')).toBeUndefined();
    expect(hint('node')).toBeUndefined();
    expect(hint('session start --detached')).toBeUndefined();
  });

  it('names the habit it replaces', () => {
    expect(formatHabitHint(habitHint(['application', '-list'])!)).toBe('weft: `yarn application -list` is `weft app list` here');
    expect(formatHabitHint(habitHint(['yarn-session.sh', '-d'])!)).toBe('weft: `yarn-session.sh -d` is `weft session start --detached` here');
  });
});
