import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { TaskIOMetrics } from '../../../../runtime/network/task-io-metrics.ts';
import { TimerGauge } from '../../../../runtime/network/timer-gauge.ts';

describe('TimerGauge', () => {
  it('reports ms per second over the last window, counting a wait that is still running', () => {
    const g = new TimerGauge(0);
    g.markStart(100);
    g.markEnd(300);
    g.markStart(900);
    g.update(1000); // 200 + 100 (running) in a 1 s window
    expect(g.msPerSecond).toBe(300);
    g.markEnd(1500);
    g.update(3000); // 500 in a 2 s window
    expect(g.msPerSecond).toBe(250);
    expect(g.accumulated(3000)).toBe(800);
    g.update(4000);
    expect(g.msPerSecond).toBe(0);
  });
});

describe('TaskIOMetrics', () => {
  it('splits each second into busy, idle and back-pressured time', async () => {
    const clock = new ManualClock(0);
    const metrics = new TaskIOMetrics(clock);
    metrics.start(1000);

    // 300 ms waiting for input, 500 ms waiting for an output buffer, 200 ms working.
    let releaseInput = (): void => {};
    const input = metrics.waitForInput(new Promise<void>((r) => (releaseInput = r)));
    clock.advance(300);
    releaseInput();
    await input;
    let releaseOutput = (): void => {};
    const output = metrics.waitForOutput(new Promise<void>((r) => (releaseOutput = r)));
    clock.advance(500);
    releaseOutput();
    await output;
    metrics.counters.numRecordsIn += 2000;
    metrics.counters.numRecordsOut += 1000;
    clock.advance(200); // the 1 s update fires here

    const s = metrics.snapshot();
    expect(s.idleTimeMsPerSecond).toBe(300);
    expect(s.backPressuredTimeMsPerSecond).toBe(500);
    expect(s.busyTimeMsPerSecond).toBe(200);
    expect(s.accumulatedIdleTime).toBe(300);
    expect(s.accumulatedBackPressuredTime).toBe(500);
    expect(s.accumulatedBusyTime).toBe(200);
    expect(s.numRecordsInPerSecond).toBe(2000);
    expect(s.numRecordsOutPerSecond).toBe(1000);

    clock.advance(1000); // a second of pure work
    expect(metrics.snapshot().busyTimeMsPerSecond).toBe(1000);
    metrics.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('counts a long wait across update boundaries in each window it covers', () => {
    const clock = new ManualClock(0);
    const metrics = new TaskIOMetrics(clock);
    metrics.start(1000);
    void metrics.waitForInput(new Promise<void>(() => {}));
    clock.advance(2500);
    expect(metrics.snapshot().idleTimeMsPerSecond).toBe(1000);
    expect(metrics.snapshot().busyTimeMsPerSecond).toBe(0);
    expect(metrics.snapshot().accumulatedIdleTime).toBe(2500);
    metrics.close();
  });

  it('sums queue lengths and reports the fullest pool of the registered gates and partitions', () => {
    const metrics = new TaskIOMetrics(new ManualClock(0));
    metrics.registerInput({ queuedBuffers: 3, bufferPoolUsage: 0.25 });
    metrics.registerInput({ queuedBuffers: 1, bufferPoolUsage: 0.5 });
    metrics.registerOutput({ queuedBuffers: 5, bufferPoolUsage: 1 });
    expect(metrics.snapshot()).toMatchObject({ inputQueueLength: 4, outputQueueLength: 5, inPoolUsage: 0.5, outPoolUsage: 1 });
  });
});
