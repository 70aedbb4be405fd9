import type { Resource } from '../protocol/records.ts';

/** YARN's way of printing a resource: `<memory:1024, vCores:1>`. */
export const formatResource = (r: Resource): string => `<memory:${r.memory}, vCores:${r.vCores}>`;

/** Simulated milliseconds as `hh:mm:ss`. */
export function formatSimTime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
