import { afterAll, describe, expect, it } from 'vitest';
import { ProcessRegistry } from '../fixtures/processes.ts';
import { runWeft } from '../fixtures/weft-cli.ts';

/** What `weft` says before it talks to any cluster: help and yarn/flink habits. */
const registry = new ProcessRegistry();
const weft = (...args: string[]) => runWeft(args, { registry, timeoutMs: 30_000 });

afterAll(async () => {
  await registry.cleanup();
  await registry.assertNoneLeft([]);
});

describe('weft usage', () => {
  it("shows Flink's memory and slot defaults in the help of every command that deploys a cluster", async () => {
    for (const cmd of [['session', 'start'], ['run'], ['run-application']]) {
      const help = await weft(...cmd, '--help');
      expect(help.code).toBe(0);
      const text = help.stdout.replace(/\s+/g, ' ');
      expect(text, cmd.join(' ')).toContain('(jobmanager.memory.process.size, default 1600)');
      expect(text, cmd.join(' ')).toContain('(taskmanager.memory.process.size, default 1728)');
      expect(text, cmd.join(' ')).toContain('(taskmanager.numberOfTaskSlots, default 1)');
    }
  });

  it('names the weft command for a yarn or flink command line, and exits 1', async () => {
    const cases: [string[], string][] = [
      [['application', '-list'], 'weft: `yarn application -list` is `weft app list` here'],
      [['yarn', 'application', '-kill', 'application_1_0001'], 'weft: `yarn application -kill application_1_0001` is `weft app kill application_1_0001` here'],
      [['yarn', 'node', '-list'], 'weft: `yarn node -list` is `weft node list` here'],
      [['list', '-yid', 'application_1_0002'], 'weft: `flink list -yid application_1_0002` is `weft job list --app application_1_0002` here'],
      [['cancel', '-yid', 'application_1_0002', 'ab12'], 'weft: `flink cancel -yid application_1_0002 ab12` is `weft job cancel --app application_1_0002 ab12` here'],
      [['yarn-session.sh', '-d', '-tm', '1024'], 'weft: `yarn-session.sh -d -tm 1024` is `weft session start --detached --tm-memory 1024` here'],
      [['run', '-m', 'yarn-cluster', '-p', '2', 'examples/word-count.ts'], 'weft: `flink run -m yarn-cluster -p 2 examples/word-count.ts` is `weft run --target per-job --parallelism 2 examples/word-count.ts` here'],
    ];
    for (const [args, line] of cases) {
      const res = await weft(...args);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stdout).toBe('');
      const lines = res.stderr.trimEnd().split('\n');
      expect(lines, args.join(' ')).toHaveLength(2);
      expect(lines[0]).toMatch(/^weft: unknown (option|command) '/);
      expect(lines[1]).toBe(line);
    }
  });

  it("keeps commander's suggestion for a mistyped weft command", async () => {
    const res = await weft('sesion', 'start');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("unknown command 'sesion'");
    expect(res.stderr).toContain('(Did you mean session?)');
  });
});
