/**
 * The page's connection to the RM's live-event hub (`/ws/v1/events`). It reconnects with
 * exponential backoff (0.5 s doubling to 10 s, with jitter) and, after any reconnect or a
 * `resync` from the hub, asks the page to re-read everything: changes missed while offline
 * are not replayed.
 *
 * @typedef {{ kind: 'app' | 'attempt' | 'container' | 'node', id: string, state: string }} Change
 * @typedef {'connecting' | 'live' | 'offline'} LiveStatus
 * @typedef {{
 *   onChanges: (changes: Change[]) => void,
 *   onResync: () => void,
 *   onStatus: (status: LiveStatus, detail: string) => void,
 * }} LiveHandlers
 */
export class LiveConnection {
  /**
   * @param {string} url
   * @param {LiveHandlers} handlers
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.attempt = 0;
    this.everConnected = false;
    /** @type {WebSocket | undefined} */
    this.socket = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  connect() {
    this.handlers.onStatus('connecting', this.attempt > 0 ? `reconnecting (attempt ${this.attempt + 1})` : 'connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      const reconnected = this.everConnected;
      this.everConnected = true;
      this.attempt = 0;
      this.handlers.onStatus('live', 'live updates on');
      if (reconnected) this.handlers.onResync();
    });
    socket.addEventListener('message', (ev) => this.receive(ev.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = undefined;
      const delay = Math.min(10_000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
      this.attempt++;
      this.handlers.onStatus('offline', `disconnected; retrying in ${Math.ceil(delay / 1000)} s`);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }

  /** @param {unknown} data */
  receive(data) {
    if (typeof data !== 'string') return;
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (msg?.type === 'changes' && Array.isArray(msg.changes)) this.handlers.onChanges(msg.changes);
    else if (msg?.type === 'resync') this.handlers.onResync();
  }
}

/** The hub's URL on the origin that served the page. */
export function eventsUrl() {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/v1/events`;
}
