import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HubMessage } from '../../../webui/hub-messages.ts';
import { UiRm } from './ui-rm.ts';

let ui: UiRm | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await ui?.stop();
  ui = undefined;
});

describe('live-event hub under load', () => {
  it('keeps 10 pages at one message per 100 ms with 100 changes/s, and REST stays fast', async () => {
    ui = await UiRm.start();
    const counts: number[] = [];
    const seen: Set<string>[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const ws = new WebSocket(`${ui!.url.replace(/^http/, 'ws')}/ws/v1/events`);
        sockets.push(ws);
        counts[i] = 0;
        seen[i] = new Set();
        ws.on('message', (data: Buffer) => {
          const m = JSON.parse(data.toString('utf8')) as HubMessage;
          if (m.type !== 'changes') return;
          counts[i]!++;
          for (const c of m.changes) seen[i]!.add(c.id);
        });
        await new Promise((resolve) => ws.once('open', resolve));
      }),
    );

    // 100 state changes a second for 2 s, across 40 containers.
    const latencies: number[] = [];
    let n = 0;
    const emitter = setInterval(() => {
      ui!.rm.ctx.changes.emit('change', { kind: 'container', id: `container_1_0001_01_${String(n % 40).padStart(6, '0')}`, state: n % 2 ? 'RUNNING' : 'ALLOCATED' });
      n++;
    }, 10);
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      const t0 = performance.now();
      const res = await fetch(`${ui.url}/ws/v1/cluster/metrics`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    clearInterval(emitter);
    await new Promise((r) => setTimeout(r, 250));

    // ~20 flushes in 2 s; none of the ~200 changes is lost (each container id arrives).
    for (let i = 0; i < 10; i++) {
      expect(counts[i]).toBeGreaterThanOrEqual(10);
      expect(counts[i]).toBeLessThanOrEqual(26);
      expect(seen[i]!.size).toBe(40);
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    expect(p95).toBeLessThan(100);
  });
});
