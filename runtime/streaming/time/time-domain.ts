/** Which clock a timer ran on (Flink's TimeDomain), as onTimer's ctx.timeDomain() tells it. */
export const TimeDomain = {
  /** Fired because the watermark passed the timer's timestamp. */
  EVENT_TIME: 'EVENT_TIME',
  /** Fired because the processing-time clock passed the timer's timestamp. */
  PROCESSING_TIME: 'PROCESSING_TIME',
} as const;

export type TimeDomain = (typeof TimeDomain)[keyof typeof TimeDomain];
