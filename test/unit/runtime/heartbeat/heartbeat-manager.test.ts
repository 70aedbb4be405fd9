import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import type { HeartbeatListener } from '../../../../runtime/heartbeat/heartbeat-listener.ts';
import { HeartbeatManager } from '../../../../runtime/heartbeat/heartbeat-manager.ts';
import type { HeartbeatServices } from '../../../../runtime/heartbeat/heartbeat-services.ts';
import type { HeartbeatTarget } from '../../../../runtime/heartbeat/heartbeat-target.ts';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** Records every listener call as `event:id[:payload]`. */
class RecordingListener implements HeartbeatListener<string, string> {
  readonly events: string[] = [];
  notifyHeartbeatTimeout(id: string): void {
    this.events.push(`timeout:${id}`);
  }
  notifyTargetUnreachable(id: string): void {
    this.events.push(`unreachable:${id}`);
  }
  reportPayload(id: string, payload: string): void {
    this.events.push(`payload:${id}:${payload}`);
  }
  retrievePayload(id: string): string {
    return `to-${id}`;
  }
}

/** A target that answers with `answer`, fails while `failing`, or holds its answer while `hanging`. */
class FakeTarget implements HeartbeatTarget<string, string> {
  readonly received: string[] = [];
  failing = false;
  hanging = false;
  private held: ((answer: string) => void)[] = [];
  private readonly answer: string;

  constructor(answer: string) {
    this.answer = answer;
  }

  requestHeartbeat(payload: string): Promise<string> {
    this.received.push(payload);
    if (this.failing) return Promise.reject(new Error('ECONNREFUSED'));
    if (this.hanging) return new Promise((resolve) => this.held.push(resolve));
    return Promise.resolve(this.answer);
  }

  release(): void {
    for (const resolve of this.held.splice(0)) resolve(this.answer);
  }
}

function setup(services: Partial<HeartbeatServices> = {}) {
  const clock = new ManualClock();
  const listener = new RecordingListener();
  const manager = new HeartbeatManager<string, string>({
    clock,
    logger: createSilentLogger(),
    services: { intervalMs: 1000, timeoutMs: 5000, rpcFailureThreshold: 2, ...services },
    listener,
  });
  manager.start();
  return { clock, listener, manager };
}

/** Advances one interval at a time, letting answers arrive in between. */
async function advance(clock: ManualClock, ms: number, step = 1000): Promise<void> {
  for (let left = ms; left > 0; left -= step) {
    clock.advance(Math.min(step, left));
    await flush();
  }
}

describe('HeartbeatManager', () => {
  it('sends every monitored target a request with its payload each interval and reports the answers', async () => {
    const { clock, listener, manager } = setup();
    const a = new FakeTarget('from-a');
    manager.monitorTarget('a', a);
    await advance(clock, 2000);
    expect(a.received).toEqual(['to-a', 'to-a']);
    expect(listener.events).toEqual(['payload:a:from-a', 'payload:a:from-a']);
    expect(manager.getLastHeartbeatFrom('a')).toBe(clock.now());
  });

  it('declares a target silent for heartbeat.timeout timed out, once, and stops monitoring it', async () => {
    const { clock, listener, manager } = setup({ intervalMs: 100_000 });
    manager.monitorTarget('a', new FakeTarget('x'));
    clock.advance(4999);
    expect(listener.events).toEqual([]);
    clock.advance(1);
    expect(listener.events).toEqual(['timeout:a']);
    expect(manager.isMonitored('a')).toBe(false);
    clock.advance(10_000);
    expect(listener.events).toEqual(['timeout:a']);
    expect(clock.pendingTimers()).toBe(1); // the request loop only
  });

  it('moves the timeout with every heartbeat the target sends and every request it makes', () => {
    const { clock, listener, manager } = setup({ intervalMs: 100_000 });
    manager.monitorTarget('a', new FakeTarget('x'));
    clock.advance(4000);
    expect(manager.receiveHeartbeat('a', 'own')).toBe(true);
    clock.advance(4000);
    expect(manager.requestHeartbeat('a')).toBe('to-a');
    clock.advance(4999);
    expect(listener.events).toEqual(['payload:a:own']);
    clock.advance(1);
    expect(listener.events).toEqual(['payload:a:own', 'timeout:a']);
  });

  it('ignores heartbeats from targets it does not monitor, but answers their requests', () => {
    const { listener, manager } = setup();
    expect(manager.receiveHeartbeat('nobody', 'x')).toBe(false);
    expect(manager.requestHeartbeat('nobody')).toBe('to-nobody');
    expect(listener.events).toEqual([]);
  });

  it('declares a target unreachable after heartbeat.rpc-failure-threshold failed requests in a row; a success resets the count', async () => {
    const { clock, listener, manager } = setup();
    const a = new FakeTarget('ok');
    manager.monitorTarget('a', a);
    a.failing = true;
    await advance(clock, 1000);
    a.failing = false;
    await advance(clock, 1000);
    a.failing = true;
    await advance(clock, 1000);
    expect(listener.events).toEqual(['payload:a:ok']);
    await advance(clock, 1000);
    expect(listener.events).toEqual(['payload:a:ok', 'unreachable:a']);
    expect(manager.isMonitored('a')).toBe(false);
    await advance(clock, 2000);
    expect(a.received).toHaveLength(4);
  });

  it('with the threshold disabled (<= 0) only the timeout counts', async () => {
    const { clock, listener, manager } = setup({ rpcFailureThreshold: -1 });
    const a = new FakeTarget('ok');
    a.failing = true;
    manager.monitorTarget('a', a);
    await advance(clock, 4000);
    expect(listener.events).toEqual([]);
    await advance(clock, 1000);
    expect(listener.events).toEqual(['timeout:a']);
  });

  it('lets an answer on its way when the timeout comes decide (a stalled process loses no live target)', async () => {
    const { clock, listener, manager } = setup();
    const a = new FakeTarget('late');
    a.hanging = true;
    manager.monitorTarget('a', a);
    clock.advance(5000); // one step: every request is still in flight when the timeout fires
    expect(listener.events).toEqual([]);
    expect(a.received).toHaveLength(4);
    clock.advance(3000); // overdue: no new requests meanwhile
    expect(a.received).toHaveLength(4);
    a.release();
    await flush();
    expect(listener.events.at(-1)).toBe('payload:a:late');
    expect(manager.isMonitored('a')).toBe(true);
  });

  it('an overdue target whose requests fail is timed out', async () => {
    const { clock, listener, manager } = setup({ rpcFailureThreshold: -1 });
    const pending: ((err: Error) => void)[] = [];
    manager.monitorTarget('a', { requestHeartbeat: () => new Promise<string>((_resolve, reject) => pending.push(reject)) });
    clock.advance(5000);
    expect(pending).toHaveLength(4);
    pending[0]!(new Error('rpc timeout'));
    await flush();
    expect(listener.events).toEqual([]); // three more still on their way
    for (const reject of pending.slice(1)) reject(new Error('rpc timeout'));
    await flush();
    expect(listener.events).toEqual(['timeout:a']);
  });

  it('drops the answers of an unmonitored or replaced target, and stop() forgets every target', async () => {
    const { clock, listener, manager } = setup();
    const old = new FakeTarget('old');
    old.hanging = true;
    manager.monitorTarget('a', old);
    clock.advance(1000);
    manager.monitorTarget('a', new FakeTarget('new'));
    old.release();
    await flush();
    expect(listener.events).toEqual([]);
    manager.unmonitorTarget('a');
    await advance(clock, 2000);
    expect(listener.events).toEqual([]);
    manager.monitorTarget('b', new FakeTarget('b'));
    manager.stop();
    expect(clock.pendingTimers()).toBe(0);
    await advance(clock, 10_000);
    expect(listener.events).toEqual([]);
  });

  it('triggerHeartbeat sends one request at once, between rounds', async () => {
    const { listener, manager } = setup({ intervalMs: 100_000 });
    manager.monitorTarget('a', new FakeTarget('now'));
    manager.triggerHeartbeat('a');
    manager.triggerHeartbeat('unknown');
    await flush();
    expect(listener.events).toEqual(['payload:a:now']);
  });
});
