import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../rm/common/clock.ts';
import { TaskIOMetrics } from '../../../../../runtime/network/task-io-metrics.ts';
import { MailboxProcessor, type MailboxController, type MailboxDefaultAction } from '../../../../../runtime/streaming/tasks/mailbox-processor.ts';

/** A default action scripted turn by turn; records what ran, in order. */
class ScriptedAction implements MailboxDefaultAction {
  readonly log: string[] = [];
  private readonly script: (turn: number, controller: MailboxController, log: string[]) => void;
  private turn = 0;

  constructor(script: (turn: number, controller: MailboxController, log: string[]) => void) {
    this.script = script;
  }

  runDefaultAction(controller: MailboxController): void {
    this.script(this.turn++, controller, this.log);
  }
}

const never = (): Promise<void> => new Promise<void>(() => {});

describe('MailboxProcessor', () => {
  it('runs mails in the task loop between two default actions, in the order they were put', async () => {
    const action = new ScriptedAction((turn, controller, log) => {
      log.push(`action ${turn}`);
      if (turn === 0) {
        processor.execute(() => log.push('timer a'), 'timer a');
        processor.execute(() => log.push('timer b'), 'timer b');
      }
      if (turn === 2) controller.allActionsCompleted();
    });
    const processor = new MailboxProcessor(action, new TaskIOMetrics(new ManualClock(0)));
    await processor.runMailboxLoop();
    expect(action.log).toEqual(['action 0', 'timer a', 'timer b', 'action 1', 'action 2']);
    expect(() => processor.execute(() => {}, 'late')).toThrow(/mailbox is closed; cannot run 'late'/);
  });

  it('a mail wakes a default action suspended on input that never comes, and the suspension is resumed', async () => {
    const resumed: number[] = [];
    const action = new ScriptedAction((turn, controller, log) => {
      log.push(`action ${turn}`);
      if (turn === 0) controller.suspendDefaultAction(never(), 'input', () => resumed.push(turn));
      else controller.allActionsCompleted();
    });
    const processor = new MailboxProcessor(action, new TaskIOMetrics(new ManualClock(0)));
    const loop = processor.runMailboxLoop();
    await new Promise<void>((resolve) => setImmediate(resolve));
    processor.execute(() => action.log.push('checkpoint trigger'), 'trigger checkpoint 1');
    await loop;
    expect(action.log).toEqual(['action 0', 'checkpoint trigger', 'action 1']);
    expect(resumed).toEqual([0]);
  });

  it('stop() ends a loop waiting on an output and drops the mails it did not run', async () => {
    const action = new ScriptedAction((_turn, controller) => controller.suspendDefaultAction(never(), 'output'));
    const processor = new MailboxProcessor(action, new TaskIOMetrics(new ManualClock(0)));
    const loop = processor.runMailboxLoop();
    await new Promise<void>((resolve) => setImmediate(resolve));
    processor.stop();
    await loop;
    expect(processor.isRunning).toBe(false);
  });

  it('books a suspension on input as idle time and one on output as back-pressured time', async () => {
    const clock = new ManualClock(0);
    const metrics = new TaskIOMetrics(clock);
    const releases: (() => void)[] = [];
    const action = new ScriptedAction((turn, controller) => {
      if (turn === 2) return controller.allActionsCompleted();
      controller.suspendDefaultAction(new Promise<void>((resolve) => releases.push(resolve)), turn === 0 ? 'input' : 'output');
    });
    const loop = new MailboxProcessor(action, metrics).runMailboxLoop();
    await new Promise<void>((resolve) => setImmediate(resolve));
    clock.advance(300);
    releases[0]!();
    await new Promise<void>((resolve) => setImmediate(resolve));
    clock.advance(500);
    releases[1]!();
    await loop;
    const snapshot = metrics.snapshot();
    expect(snapshot.accumulatedIdleTime).toBe(300);
    expect(snapshot.accumulatedBackPressuredTime).toBe(500);
  });

  it('a failing mail fails the loop with its error', async () => {
    const action = new ScriptedAction((turn) => {
      if (turn === 0) processor.execute(() => { throw new Error('timer failed'); }, 'timer');
    });
    const processor = new MailboxProcessor(action, new TaskIOMetrics(new ManualClock(0)));
    await expect(processor.runMailboxLoop()).rejects.toThrow('timer failed');
  });
});
