import { EventEmitter } from 'node:events';

/** What changed: an application, attempt, container or node entered `state`. */
export interface RmChange {
  readonly kind: 'app' | 'attempt' | 'container' | 'node';
  readonly id: string;
  readonly state: string;
}

export type RmChangeListener = (change: RmChange) => void;

/**
 * The RM's one published change stream, as its subscribers see it: the web UI's live hub, the
 * scheduling service, queue metrics and the load simulator subscribe here instead of reaching
 * into the RM's entities. The returned function unsubscribes.
 */
export interface RmChangeStream {
  subscribe(listener: RmChangeListener): () => void;
}

/**
 * The publishing side, held in the RmContext: each entity publishes its own state changes.
 * It is an EventEmitter (`'change'` events) so plain `on`/`emit` keep working too.
 */
export class RmChanges extends EventEmitter<{ change: [RmChange] }> implements RmChangeStream {
  constructor() {
    super();
    // Every open page's hub and every service subscribes; there is no leak to warn about.
    this.setMaxListeners(0);
  }

  publish(change: RmChange): void {
    this.emit('change', change);
  }

  subscribe(listener: RmChangeListener): () => void {
    this.on('change', listener);
    return () => this.off('change', listener);
  }
}
