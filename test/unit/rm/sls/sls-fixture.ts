import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import type { JobRecord } from '../../../../rm/sls/job-record.ts';
import { loadPlan } from '../../../../rm/sls/sls-plan.ts';
import { runSimulation, type SlsResult } from '../../../../rm/sls/sls-runner.ts';

export interface SimRun {
  readonly result: SlsResult;
  readonly job: (id: string) => JobRecord;
}

/** Runs one simulation of an SLS trace (jobs as objects) on the virtual clock, in a temp dir that is removed after. */
export async function simulate(jobs: readonly object[], properties: Record<string, string> = {}, extra: { nodes?: object[] } = {}): Promise<SimRun> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-sls-test-'));
  try {
    const trace = join(dir, 'trace.json');
    writeFileSync(trace, jobs.map((j) => JSON.stringify(j)).join('\n'));
    let nodesFile: string | undefined;
    if (extra.nodes) {
      nodesFile = join(dir, 'nodes.json');
      writeFileSync(nodesFile, extra.nodes.map((n) => JSON.stringify(n)).join('\n'));
    }
    const plan = loadPlan({ tracetype: 'SLS', tracelocation: [trace], ...(nodesFile ? { nodesFile } : {}), properties: new Map(Object.entries(properties)), outputDir: dir });
    const result = await runSimulation(plan, { logger: createSilentLogger() });
    const job = (id: string): JobRecord => {
      const r = result.records.find((x) => x.jobId === id);
      if (!r) throw new Error(`no record for job ${id}`);
      return r;
    };
    return { result, job };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Two queues a and b of 50 % each. */
export const TWO_QUEUES = {
  'yarn.scheduler.capacity.root.queues': 'a,b',
  'yarn.scheduler.capacity.root.a.capacity': '50',
  'yarn.scheduler.capacity.root.b.capacity': '50',
};

export const rack = (...hosts: string[]) => ({ rack: 'r1', nodes: hosts.map((node) => ({ node })) });
