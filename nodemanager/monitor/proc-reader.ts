import { readFileSync, readdirSync } from 'node:fs';

/** The fields of `/proc/<pid>/stat` the monitor and the process-tree dump use (proc(5)). */
export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  /** R, S, D, Z (zombie), X (dead), ... */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  readonly utimeTicks: number;
  readonly stimeTicks: number;
  readonly vsizeBytes: number;
  readonly rssPages: number;
}

/** Read access to /proc, behind an interface so the memory monitor can be tested with a fake. */
export interface ProcReader {
  stat(pid: number): ProcStat | undefined;
  /** VmRSS from /proc/<pid>/status, in bytes (undefined once the process is gone or a zombie). */
  rssBytes(pid: number): number | undefined;
  /** Direct children, from /proc/<pid>/task/<tid>/children of every thread. */
  children(pid: number): number[];
  cmdline(pid: number): string;
  /** Every pid currently in /proc. */
  pids(): number[];
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parses one /proc/<pid>/stat line; `comm` may itself contain spaces and parentheses. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const f = text.slice(close + 2).trim().split(/\s+/);
  // f[0] is field 3 (state); field n is f[n - 3].
  const num = (n: number): number => Number(f[n - 3] ?? NaN);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: num(4),
    pgrp: num(5),
    session: num(6),
    utimeTicks: num(14),
    stimeTicks: num(15),
    vsizeBytes: num(23),
    rssPages: num(24),
  };
}

export class LinuxProcReader implements ProcReader {
  private readonly root: string;

  constructor(root = '/proc') {
    this.root = root;
  }

  stat(pid: number): ProcStat | undefined {
    const text = read(`${this.root}/${pid}/stat`);
    return text === undefined ? undefined : parseProcStat(text);
  }

  rssBytes(pid: number): number | undefined {
    const m = /^VmRSS:\s+(\d+)\s*kB/m.exec(read(`${this.root}/${pid}/status`) ?? '');
    return m ? Number(m[1]) * 1024 : undefined;
  }

  children(pid: number): number[] {
    let tids: string[];
    try {
      tids = readdirSync(`${this.root}/${pid}/task`);
    } catch {
      return [];
    }
    const out = new Set<number>();
    for (const tid of tids) {
      for (const c of (read(`${this.root}/${pid}/task/${tid}/children`) ?? '').split(/\s+/)) if (c) out.add(Number(c));
    }
    return [...out];
  }

  cmdline(pid: number): string {
    return (read(`${this.root}/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ');
  }

  pids(): number[] {
    try {
      return readdirSync(this.root).filter((n) => /^\d+$/.test(n)).map(Number);
    } catch {
      return [];
    }
  }
}

/** Live (not zombie) members of a process group: what is really left after a kill. */
export function liveGroupMembers(proc: ProcReader, pgid: number): number[] {
  return proc.pids().filter((pid) => {
    const s = proc.stat(pid);
    return s !== undefined && s.pgrp === pgid && s.state !== 'Z' && s.state !== 'X';
  });
}
