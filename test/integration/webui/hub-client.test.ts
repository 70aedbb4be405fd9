import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RmChange } from '../../../rm/rm-context.ts';
import { HubClient } from '../../../webui/hub-client.ts';

/** The part of a ws socket HubClient uses, with a send buffer the test fills and drains. */
class FakeSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  readonly sent: unknown[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
}

const change = (i: number, state = 'RUNNING'): RmChange => ({ kind: 'app', id: `application_1_${String(i).padStart(4, '0')}`, state });
const limits = { maxPending: 5, maxBufferedBytes: 1000 };

function client() {
  const socket = new FakeSocket();
  return { socket, c: new HubClient(socket as unknown as WebSocket, limits) };
}

describe('HubClient backpressure', () => {
  it('sends the shared message as is while caught up', () => {
    const { socket, c } = client();
    c.deliver([change(1)], JSON.stringify({ type: 'changes', changes: [change(1)] }));
    expect(socket.sent).toEqual([{ type: 'changes', changes: [change(1)] }]);
    expect(c.hasBacklog).toBe(false);
  });

  it('coalesces its own backlog while the socket is backed up, then sends it in one message', () => {
    const { socket, c } = client();
    socket.bufferedAmount = 5000;
    c.deliver([change(1, 'ACCEPTED'), change(2)], '{}');
    c.deliver([change(1, 'RUNNING')], '{}');
    expect(socket.sent).toEqual([]);
    expect(c.hasBacklog).toBe(true);
    socket.bufferedAmount = 0;
    c.deliver([], undefined);
    expect(socket.sent).toEqual([{ type: 'changes', changes: [change(1, 'RUNNING'), change(2)] }]);
    expect(c.hasBacklog).toBe(false);
  });

  it('drops a backlog beyond its bound and asks for a resync once the socket drains', () => {
    const { socket, c } = client();
    socket.bufferedAmount = 5000;
    c.deliver([1, 2, 3, 4, 5, 6].map((i) => change(i)), '{}');
    c.deliver([change(7)], '{}');
    expect(socket.sent).toEqual([]);
    socket.bufferedAmount = 0;
    c.deliver([change(8)], '{}');
    expect(socket.sent).toEqual([{ type: 'resync', reason: 'backlog' }]);
    // Caught up again: the next flush goes straight through.
    c.deliver([change(9)], JSON.stringify({ type: 'changes', changes: [change(9)] }));
    expect(socket.sent.at(-1)).toEqual({ type: 'changes', changes: [change(9)] });
  });

  it('sends nothing to a socket that is not open', () => {
    const { socket, c } = client();
    socket.readyState = WebSocket.CLOSING;
    c.deliver([change(1)], '{}');
    expect(socket.sent).toEqual([]);
  });
});
