/**
 * Sentinels for the elements that flow besides records. Flink uses Long.MIN_VALUE / Long.MAX_VALUE;
 * JS numbers are doubles, so the safe-integer bounds stand in for them (timestamps are epoch ms,
 * far inside 2^53).
 */

export { NO_TIMESTAMP } from '../network/channel-element.ts';

/** The watermark a bounded source emits when it ends: event time is over (Watermark.MAX_WATERMARK). */
export const MAX_WATERMARK = Number.MAX_SAFE_INTEGER;

/** Returned by a source's emitNext() when it has nothing left to emit. */
export const END_OF_INPUT = -1;
