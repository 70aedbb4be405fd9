import { z } from 'zod';
import type { LogFileInfo } from '../common/log-files.ts';

/**
 * YARN's ContainerLogsInfo DAO, answered by the NM's and the log server's
 * `.../containers/{containerid}/logs`: which log files a container has, on the NM's disk (LOCAL)
 * or in the aggregated logs (AGGREGATED).
 */
export const ContainerLogsEntry = z.object({
  containerId: z.string(),
  nodeId: z.string(),
  logAggregationType: z.enum(['LOCAL', 'AGGREGATED']),
  containerLogInfo: z.array(z.object({ fileName: z.string(), fileSize: z.string(), lastModifiedTime: z.string() })),
});
export type ContainerLogsEntry = z.infer<typeof ContainerLogsEntry>;

/** One entry from file infos (sizes as strings, times as RFC 1123 dates, as YARN writes them). */
export function containerLogsEntry(containerId: string, nodeId: string, type: 'LOCAL' | 'AGGREGATED', files: readonly LogFileInfo[]): ContainerLogsEntry {
  return {
    containerId,
    nodeId,
    logAggregationType: type,
    containerLogInfo: files.map((f) => ({ fileName: f.fileName, fileSize: String(f.fileSize), lastModifiedTime: new Date(f.lastModifiedTime).toUTCString() })),
  };
}

/**
 * `GET .../containers/{id}/logs`: YARN's list of ContainerLogsInfo, one for the files on the NM's
 * disk (LOCAL) and one per aggregated copy (AGGREGATED). Jersey renders a one-element list as the
 * object itself and a longer one as an array; YARN's LogsCLI reads both, and so does weft.
 */
export const ContainerLogsInfo = z.object({ containerLogsInfo: z.union([ContainerLogsEntry, z.array(ContainerLogsEntry)]) });
export type ContainerLogsInfo = z.infer<typeof ContainerLogsInfo>;

/** The entries of a ContainerLogsInfo answer, whichever of its two shapes it has. */
export const containerLogsEntries = (info: ContainerLogsInfo): ContainerLogsEntry[] =>
  Array.isArray(info.containerLogsInfo) ? info.containerLogsInfo : [info.containerLogsInfo];

/** One answer from entries, in Jersey's shape. */
export function containerLogsInfo(entries: readonly ContainerLogsEntry[]): ContainerLogsInfo {
  return { containerLogsInfo: entries.length === 1 ? entries[0]! : [...entries] };
}

