import { describe, expect, it } from 'vitest';
import { buildEnvironment, expandCommand, expandMacros, isSafeResourceKey } from '../../../nodemanager/launcher/container-launch.ts';

describe('container launch: command and environment', () => {
  it('expands <LOG_DIR>, <CPS> and {{VAR}} and joins commands with spaces', () => {
    expect(expandCommand(['{{WEFT_HOME}}/bin/weft-run', 'am.ts', '1><LOG_DIR>/am.out', '-cp a<CPS>b'], '/logs/c1')).toBe(
      '$WEFT_HOME/bin/weft-run am.ts 1>/logs/c1/am.out -cp a:b',
    );
    expect(expandMacros('{{not a var}} {{A_1}}', '/l')).toBe('{{not a var}} $A_1');
  });

  it('passes only whitelisted NM variables, lets the launch context set others, and never lets it override finals', () => {
    const env = buildEnvironment({
      nmEnv: { PATH: '/usr/bin', JAVA_HOME: '/jdk', SECRET_NM_VAR: 'x', LANG: 'C' },
      whitelist: ['PATH', 'JAVA_HOME', 'LANG'],
      launchEnv: { JAVA_HOME: '/my/jdk', CONTAINER_ID: 'spoof', CLASSPATH: '{{PWD}}/lib<CPS>{{JAVA_HOME}}/x', LOGS: '<LOG_DIR>/y' },
      finals: { CONTAINER_ID: 'container_1_0001_01_000001', PWD: '/work' },
      logDir: '/logs/c1',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      LANG: 'C',
      JAVA_HOME: '/my/jdk',
      CLASSPATH: '/work/lib:/my/jdk/x',
      LOGS: '/logs/c1/y',
      CONTAINER_ID: 'container_1_0001_01_000001',
      PWD: '/work',
    });
    expect(env).not.toHaveProperty('SECRET_NM_VAR');
  });

  it('accepts only plain file names as local resource keys', () => {
    for (const bad of ['', '.', '..', '../x', 'a/b', '/etc/passwd', 'a\\b', 'a\0b']) expect(isSafeResourceKey(bad), bad).toBe(false);
    for (const ok of ['job.jar', 'data.txt', '.hidden', 'a..b']) expect(isSafeResourceKey(ok), ok).toBe(true);
  });
});
