import { parseArgs } from 'node:util';
import { httpApplicationMasterProtocol } from '../../rm/protocol/am-rm.ts';
import { readApplicationMasterContext } from '../../am/application-master-context.ts';
import { NMClient } from '../../am/nm-client.ts';
import { NmTokenCache } from '../../am/nm-token-cache.ts';
import type { AllocateRequest, AllocateResponse } from '../../rm/protocol/am-rm.ts';
import type { Container } from '../../rm/protocol/records.ts';

/**
 * The AM of `npm run bench -- launch`. With `--containers N` it measures, N times, the time from
 * an allocate response that carries a container to that container's process running (the
 * process prints its own start time in ms). With `--containers 0` it registers, waits briefly
 * and finishes: the trivial AM for submit -> RUNNING. Results go to stdout as one JSON line.
 */
const { values } = parseArgs({ options: { containers: { type: 'string', default: '0' }, 'hold-ms': { type: 'string', default: '300' } } });
const wanted = Number(values.containers);
const ctx = readApplicationMasterContext(process.env);
const gateway = httpApplicationMasterProtocol({ rmUrl: ctx.rmUrl, token: () => ctx.amrmToken });
const tokens = new NmTokenCache();
const nm = new NMClient(tokens);
await gateway.registerApplicationMaster({ body: { host: ctx.nmHost, rpcPort: -1, trackingUrl: '' } });

let responseId = 0;
async function allocate(req: Omit<AllocateRequest, 'responseId'>): Promise<AllocateResponse> {
  const res = await gateway.allocate({ body: { ...req, responseId } });
  responseId = res.responseId;
  tokens.update(res.nmTokens);
  return res;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const samples: number[] = [];
for (let i = 0; i < wanted; i++) {
  let res = await allocate({ ask: [{ priority: 1, allocationRequestId: 0, resourceName: '*', capability: { memory: 128, vCores: 1 }, numContainers: 1, relaxLocality: true, executionType: 'GUARANTEED' }], release: [], progress: i / wanted });
  let container: Container | undefined = res.allocatedContainers[0];
  while (!container) {
    await sleep(5);
    res = await allocate({ ask: [], release: [], progress: i / wanted });
    container = res.allocatedContainers[0];
  }
  const allocatedAt = Date.now();
  // The ask is satisfied: withdraw it so the RM does not allocate a second container.
  await allocate({ ask: [{ priority: 1, allocationRequestId: 0, resourceName: '*', capability: { memory: 128, vCores: 1 }, numContainers: 0, relaxLocality: true, executionType: 'GUARANTEED' }], release: [], progress: i / wanted });
  await nm.startContainer(container, { commands: ['date +%s%3N'], environment: {}, localResources: {}, applicationACLs: {} });
  let out = '';
  for (;;) {
    const r = await fetch(`http://${container.nodeHttpAddress}/ws/v1/node/containerlogs/${container.id}/stdout`);
    out = r.ok ? (await r.text()).trim() : '';
    if (/^\d{13}$/.test(out)) break;
    await sleep(5);
  }
  samples.push(Number(out) - allocatedAt);
  await allocate({ ask: [], release: [container.id], progress: (i + 1) / wanted });
}
if (wanted === 0) await sleep(Number(values['hold-ms']));
process.stdout.write(`${JSON.stringify({ allocateToRunningMs: samples })}\n`);
await gateway.finishApplicationMaster({ body: { finalApplicationStatus: 'SUCCEEDED', diagnostics: '', trackingUrl: '' } });
