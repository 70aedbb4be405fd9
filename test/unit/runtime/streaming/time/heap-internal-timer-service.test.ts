import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../rm/common/clock.ts';
import { HeapKeyedStateBackend } from '../../../../../runtime/state/heap-keyed-state-backend.ts';
import { InternalTimeServiceManager } from '../../../../../runtime/streaming/time/internal-time-service-manager.ts';
import { NO_WATERMARK, type InternalTimer, type Triggerable } from '../../../../../runtime/streaming/time/internal-timer-service.ts';
import { MailboxProcessingTimeService } from '../../../../../runtime/streaming/time/processing-time-service.ts';
import { QueueMailbox } from '../../../../doubles/queue-mailbox.ts';

function setup(): {
  clock: ManualClock;
  mailbox: QueueMailbox;
  backend: HeapKeyedStateBackend;
  manager: InternalTimeServiceManager;
  fired: string[];
  triggerable: Triggerable<string, string>;
} {
  const clock = new ManualClock(1000);
  const mailbox = new QueueMailbox();
  const backend = new HeapKeyedStateBackend({ maxParallelism: 128, parallelism: 1, subtaskIndex: 0 });
  const manager = new InternalTimeServiceManager(backend, new MailboxProcessingTimeService(clock, mailbox));
  const fired: string[] = [];
  const record = (domain: string) => (timer: InternalTimer<string, string>) => {
    // The backend's current key is the timer's key while it fires.
    expect(backend.getCurrentKey()).toBe(timer.key);
    fired.push(`${domain}:${timer.key}:${timer.namespace}@${timer.timestamp}`);
  };
  return { clock, mailbox, backend, manager, fired, triggerable: { onEventTime: record('event'), onProcessingTime: record('proc') } };
}

describe('HeapInternalTimerService: event time', () => {
  it('fires timers at or before the watermark in timestamp order, once per key, namespace and timestamp', () => {
    const { backend, manager, fired, triggerable } = setup();
    const timers = manager.getInternalTimerService('user-timers', triggerable);
    expect(timers.currentWatermark()).toBe(NO_WATERMARK);
    backend.setCurrentKey('a');
    timers.registerEventTimeTimer('ns', 30);
    timers.registerEventTimeTimer('ns', 10);
    timers.registerEventTimeTimer('ns', 10); // duplicate
    timers.registerEventTimeTimer('other', 10); // another namespace
    backend.setCurrentKey('b');
    timers.registerEventTimeTimer('ns', 10); // another key
    timers.registerEventTimeTimer('ns', 20);

    manager.advanceWatermark(9);
    expect(fired).toEqual([]);
    manager.advanceWatermark(20);
    expect(fired).toEqual(['event:a:ns@10', 'event:a:other@10', 'event:b:ns@10', 'event:b:ns@20']);
    expect(timers.currentWatermark()).toBe(20);
    manager.advanceWatermark(100);
    expect(fired.slice(4)).toEqual(['event:a:ns@30']);
    expect(manager.numEventTimeTimers).toBe(0);
  });

  it('deletes a timer of the current key only', () => {
    const { backend, manager, fired, triggerable } = setup();
    const timers = manager.getInternalTimerService('t', triggerable);
    backend.setCurrentKey('a');
    timers.registerEventTimeTimer('ns', 5);
    backend.setCurrentKey('b');
    timers.registerEventTimeTimer('ns', 5);
    timers.deleteEventTimeTimer('ns', 5);
    timers.deleteEventTimeTimer('ns', 6); // none: a no-op
    manager.advanceWatermark(10);
    expect(fired).toEqual(['event:a:ns@5']);
  });

  it('fires a timer registered while firing, if the watermark already passed it', () => {
    const { backend, manager, fired } = setup();
    const timers = manager.getInternalTimerService<string, string>('t', {
      onEventTime: (timer) => {
        fired.push(`${timer.key}@${timer.timestamp}`);
        if (timer.timestamp === 1) timers.registerEventTimeTimer('ns', 2);
      },
      onProcessingTime: () => {},
    });
    backend.setCurrentKey('k');
    timers.registerEventTimeTimer('ns', 1);
    manager.advanceWatermark(5);
    expect(fired).toEqual(['k@1', 'k@2']);
  });

  it('keeps its timers in the keyed state backend under Flink\'s queue names', () => {
    const { backend, manager, triggerable } = setup();
    manager.getInternalTimerService('window-timers', triggerable);
    expect(backend.timerQueueNames.sort()).toEqual(['_timer_state/event_window-timers', '_timer_state/processing_window-timers']);
  });
});

describe('HeapInternalTimerService: processing time', () => {
  it('fires through the mailbox once the clock passes the timestamp, in order, deduplicated', () => {
    const { clock, mailbox, backend, manager, fired, triggerable } = setup();
    const timers = manager.getInternalTimerService('t', triggerable);
    expect(timers.currentProcessingTime()).toBe(1000);
    backend.setCurrentKey('a');
    timers.registerProcessingTimeTimer('ns', 1100);
    timers.registerProcessingTimeTimer('ns', 1050);
    timers.registerProcessingTimeTimer('ns', 1050);
    backend.setCurrentKey('b');
    timers.registerProcessingTimeTimer('ns', 1100);

    clock.advance(50); // now 1050: not past 1050 yet (Flink fires a timer for t after t)
    mailbox.run();
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([]); // queued as a mail, not run inside the clock's callback
    mailbox.run();
    expect(fired).toEqual(['proc:a:ns@1050']);
    clock.advance(100);
    mailbox.run();
    expect(fired).toEqual(['proc:a:ns@1050', 'proc:a:ns@1100', 'proc:b:ns@1100']);
    expect(manager.numProcessingTimeTimers).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('re-arms for an earlier timer and skips deleted ones', () => {
    const { clock, mailbox, backend, manager, fired, triggerable } = setup();
    const timers = manager.getInternalTimerService('t', triggerable);
    backend.setCurrentKey('a');
    timers.registerProcessingTimeTimer('ns', 1500);
    timers.registerProcessingTimeTimer('ns', 1200);
    timers.registerProcessingTimeTimer('ns', 1300);
    timers.deleteProcessingTimeTimer('ns', 1200);
    clock.advance(250);
    mailbox.run();
    expect(fired).toEqual([]);
    clock.advance(100);
    mailbox.run();
    expect(fired).toEqual(['proc:a:ns@1300']);
    clock.advance(500);
    mailbox.run();
    expect(fired).toEqual(['proc:a:ns@1300', 'proc:a:ns@1500']);
  });
});

describe('MailboxProcessingTimeService', () => {
  it('runs fixed-rate callbacks at each period and drops everything once quiesced', () => {
    const clock = new ManualClock(0);
    const mailbox = new QueueMailbox();
    const service = new MailboxProcessingTimeService(clock, mailbox);
    const ticks: number[] = [];
    service.scheduleAtFixedRate((t) => ticks.push(t), 200, 200);
    for (let i = 0; i < 3; i++) {
      clock.advance(200);
      mailbox.run();
    }
    expect(ticks).toEqual([200, 400, 600]);
    service.registerTimer(10_000, (t) => ticks.push(t));
    service.quiesce();
    clock.advance(20_000);
    mailbox.run();
    expect(ticks).toEqual([200, 400, 600]);
    expect(clock.pendingTimers()).toBe(0);
    expect(service.pendingTimers).toBe(0);
  });

  it('does not post a mail into a mailbox that stopped', () => {
    const clock = new ManualClock(0);
    const mailbox = new QueueMailbox();
    const service = new MailboxProcessingTimeService(clock, mailbox);
    service.registerTimer(5, () => {});
    mailbox.isRunning = false;
    clock.advance(10);
    expect(mailbox.mails).toHaveLength(0);
  });
});
