import type { JobListEntry } from '../../runtime/client/rest-cluster-client.ts';
import { isTerminalJobStatus } from '../../runtime/protocol/records.ts';

/** Output formats of the `flink` CLI (CliFrontend), reproduced so scripts that parse `flink list` parse `weft job list`. */

/** `flink list` output: running/restarting, scheduled and terminated jobs. */
export function formatJobList(jobs: readonly JobListEntry[]): string {
  const line = (j: JobListEntry): string => `${formatTime(j['start-time'])} : ${j.jid} : ${j.name} (${j.state})`;
  const running = jobs.filter((j) => j.state === 'RUNNING' || j.state === 'RESTARTING' || j.state === 'CANCELLING' || j.state === 'FAILING');
  const scheduled = jobs.filter((j) => j.state === 'CREATED' || j.state === 'INITIALIZING');
  const terminated = jobs.filter((j) => isTerminalJobStatus(j.state));
  const out: string[] = [];
  const section = (title: string, list: readonly JobListEntry[], none: string): void => {
    if (list.length === 0) {
      out.push(none);
      return;
    }
    const header = `------------------ ${title} -------------------`;
    out.push(header, ...[...list].sort((a, b) => a['start-time'] - b['start-time']).map(line), '-'.repeat(header.length));
  };
  section('Running/Restarting Jobs', running, 'No running jobs.');
  section('Scheduled Jobs', scheduled, 'No scheduled jobs.');
  section('Terminated Jobs', terminated, 'No terminated jobs.');
  return `${out.join('\n')}\n`;
}

/** dd.MM.yyyy HH:mm:ss, as `flink list` prints start times. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
