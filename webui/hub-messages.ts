import type { RmChange } from '../rm/rm-changes.ts';

/**
 * What the live-event hub sends on `/ws/v1/events` (JSON text frames). Pages treat a message as
 * a hint of what to re-read from the REST API; the REST API stays the only source of data.
 */
export type HubMessage =
  /** First message on every connection. */
  | { readonly type: 'hello'; readonly clusterId: number; readonly serverTime: number; readonly flushIntervalMs: number }
  /** Entities whose state changed since the previous message, one entry per entity (latest state). */
  | { readonly type: 'changes'; readonly changes: readonly RmChange[] }
  /** This client fell behind and its backlog was dropped: re-read everything. */
  | { readonly type: 'resync'; readonly reason: 'backlog' };

export const EVENTS_PATH = '/ws/v1/events';
