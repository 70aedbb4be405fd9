import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { listProcesses } from '../test/fixtures/processes.ts';

let ticksPerSecond: number | undefined;

export interface CpuTime {
  readonly userMs: number;
  readonly systemMs: number;
}

/**
 * CPU time used so far by the TaskManager processes of the cluster in `dir`, from /proc/<pid>/stat.
 * On a machine shared with other work, wall-clock throughput moves with the load; the CPU the
 * TaskManagers spend per record moves much less (user time least: system time includes the
 * loopback TCP stack, which slows down with contention), so benchmarks report both.
 */
export function taskManagerCpu(dir: string): CpuTime {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let user = 0;
  let system = 0;
  for (const p of listProcesses()) {
    if (!p.cwd.startsWith(`${dir}/`) || !p.cmdline.includes('taskexecutor/main')) continue;
    try {
      const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
      // Fields resume after the command name's last ')': utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      user += Number(fields[11]);
      system += Number(fields[12]);
    } catch {
      // exited between the listing and the read
    }
  }
  return { userMs: (user * 1000) / ticksPerSecond, systemMs: (system * 1000) / ticksPerSecond };
}
