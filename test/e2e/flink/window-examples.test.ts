import { afterAll, describe, expect, it } from 'vitest';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { runLocal } from '../../fixtures/weft-cli.ts';

/**
 * The window examples as examples/README.md runs them, in this process's LocalExecutor through
 * run-local, with no arguments: what they print. Window results print as windows fire, so only
 * the order of the late readings (one sensor's buffered readings, in arrival order) is fixed.
 */
const registry = new ProcessRegistry();

afterAll(async () => {
  await registry.cleanup();
  await registry.assertNoneLeft();
});

const lines = (stdout: string): string[] => stdout.split('\n').filter((l) => l.length > 0);

describe('the window examples, run locally with no arguments', () => {
  it('examples/sensor-windows.ts prints 10 s averages per sensor, and the late readings apart', async () => {
    const res = await runLocal(['examples/sensor-windows.ts'], { registry });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/Job FINISHED in \d+ ms/);
    const printed = lines(res.stdout);
    // sensor-2's readings of 17 s and 19 s arrive after [10 s, 20 s) fired: not in its average.
    expect(printed.filter((l) => !l.startsWith('late> ')).sort()).toEqual([
      'sensor-1  [08:00:00, 08:00:10)  3 readings  avg 20.5 °C  max 20.9 °C',
      'sensor-1  [08:00:10, 08:00:20)  2 readings  avg 21.4 °C  max 21.6 °C',
      'sensor-1  [08:00:20, 08:00:30)  3 readings  avg 22.2 °C  max 22.5 °C',
      'sensor-1  [08:00:30, 08:00:40)  2 readings  avg 22.9 °C  max 23.0 °C',
      'sensor-1  [08:00:40, 08:00:50)  1 reading  avg 23.3 °C  max 23.3 °C',
      'sensor-2  [08:00:00, 08:00:10)  3 readings  avg 22.4 °C  max 22.8 °C',
      'sensor-2  [08:00:10, 08:00:20)  1 reading  avg 23.1 °C  max 23.1 °C',
      'sensor-2  [08:00:30, 08:00:40)  2 readings  avg 24.1 °C  max 24.2 °C',
      'sensor-3  [08:00:00, 08:00:10)  2 readings  avg 19.9 °C  max 20.0 °C',
      'sensor-3  [08:00:10, 08:00:20)  3 readings  avg 20.3 °C  max 20.6 °C',
      'sensor-3  [08:00:20, 08:00:30)  2 readings  avg 21.0 °C  max 21.1 °C',
      'sensor-3  [08:00:30, 08:00:40)  3 readings  avg 21.7 °C  max 22.0 °C',
      'sensor-3  [08:00:40, 08:00:50)  1 reading  avg 22.2 °C  max 22.2 °C',
    ]);
    expect(printed.filter((l) => l.startsWith('late> '))).toEqual([
      'late> sensor-2 @ 08:00:17  23.4 °C  (its window had fired)',
      'late> sensor-2 @ 08:00:19  23.6 °C  (its window had fired)',
    ]);
  });

  it('examples/session-windows.ts prints one line per user session', async () => {
    const res = await runLocal(['examples/session-windows.ts'], { registry });
    expect(res.code, res.stderr).toBe(0);
    // carol's 145 s event arrives after her 170 s one and joins her sessions from 120 s and 170 s.
    expect(lines(res.stdout).sort()).toEqual([
      'alice  08:00:05 - 08:00:55  50 s  5 events: view view click cart buy',
      'alice  08:03:20 - 08:03:30  10 s  2 events: view click',
      'bob    08:00:08 - 08:00:08  0 s  1 event: view',
      'bob    08:00:50 - 08:01:15  25 s  3 events: view click view',
      'bob    08:02:30 - 08:02:30  0 s  1 event: view',
      'carol  08:00:30 - 08:00:38  8 s  4 events: view click cart buy',
      'carol  08:02:00 - 08:02:50  50 s  3 events: view view click',
    ]);
  });
});
