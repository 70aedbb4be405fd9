/**
 * Plain counters shared by a task's partitions and gates (Flink's TaskIOMetricGroup counters).
 * Fields, not methods: they are bumped once per record on the hot path.
 */
export class IOCounters {
  numRecordsIn = 0;
  numRecordsOut = 0;
  numBytesIn = 0;
  numBytesOut = 0;
  numBuffersIn = 0;
  numBuffersOut = 0;
}
