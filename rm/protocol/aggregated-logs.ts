import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isPlainFileName, listPlainFiles, readFileRange, realDirectory, type LogFileInfo } from '../common/log-files.ts';
import { applicationIdOfContainer, parseApplicationId, parseContainerId } from './ids.ts';

/**
 * Aggregated container logs on the "remote" file system, the contract between the NodeManagers
 * that write them and the RM, the NM web services and `weft logs` that read them (YARN's
 * LogAggregationUtils layout): `<yarn.nodemanager.remote-app-log-dir>/<user>/<suffix>/<appId>/<nodeId>`
 * with the node id's `:` as `_`. Where YARN writes one TFile per node, weft writes a directory
 * per node holding one directory per container with its files as they were, so they can be read
 * with `ls` and `less` as well. A node's directory appears whole: the NM writes
 * `<nodeId>.tmp` and renames it.
 */
export interface AggregatedLogsConfig {
  /** `yarn.nodemanager.remote-app-log-dir`. */
  readonly remoteRoot: string;
  /** `yarn.nodemanager.remote-app-log-dir-suffix`. */
  readonly suffix: string;
}

export interface AggregatedContainerLogs {
  readonly containerId: string;
  readonly nodeId: string;
  readonly files: LogFileInfo[];
}

/** LogAggregationUtils.getNodeString: `host:port` → `host_port`. */
export const nodeFileName = (nodeId: string): string => nodeId.replaceAll(':', '_');

/** `host_port` → `host:port` (the last `_` separates the port). */
export function nodeIdOfFileName(name: string): string {
  const i = name.lastIndexOf('_');
  return i > 0 && /^\d+$/.test(name.slice(i + 1)) ? `${name.slice(0, i)}:${name.slice(i + 1)}` : name;
}

export class AggregatedLogs {
  readonly config: AggregatedLogsConfig;

  constructor(config: AggregatedLogsConfig) {
    this.config = config;
  }

  /** `<root>/<user>/<suffix>/<appId>`. */
  appDir(user: string, appId: string): string {
    return join(this.config.remoteRoot, user, this.config.suffix, appId);
  }

  /** Users with an aggregated dir for the app (the owner when the caller does not know it). */
  private ownersOf(appId: string, user: string | undefined): string[] {
    if (user !== undefined) return isPlainFileName(user) ? [user] : [];
    try {
      return readdirSync(this.config.remoteRoot).filter((u) => isPlainFileName(u) && realDirectory(this.appDir(u, appId)) !== undefined);
    } catch {
      return [];
    }
  }

  /** Every container with aggregated logs of the app, by node, sorted by container id. */
  containers(appId: string, user?: string): AggregatedContainerLogs[] {
    if (!parseApplicationId(appId)) return [];
    const found: AggregatedContainerLogs[] = [];
    for (const owner of this.ownersOf(appId, user)) {
      const appDir = realDirectory(this.appDir(owner, appId));
      if (appDir === undefined) continue;
      for (const node of safeList(appDir)) {
        if (node.endsWith('.tmp')) continue;
        const nodeDir = realDirectory(join(appDir, node));
        if (nodeDir === undefined || nodeDir !== join(appDir, node)) continue;
        for (const containerId of safeList(nodeDir)) {
          if (!parseContainerId(containerId) || applicationIdOfContainer(containerId) !== appId) continue;
          const dir = realDirectory(join(nodeDir, containerId));
          if (dir === undefined || dir !== join(nodeDir, containerId)) continue;
          found.push({ containerId, nodeId: nodeIdOfFileName(node), files: listPlainFiles(dir) });
        }
      }
    }
    return found.sort((a, b) => a.containerId.localeCompare(b.containerId) || a.nodeId.localeCompare(b.nodeId));
  }

  /** One container's aggregated logs, or undefined when none were aggregated. */
  container(containerId: string, user?: string): AggregatedContainerLogs | undefined {
    const appId = parseContainerId(containerId) ? applicationIdOfContainer(containerId) : undefined;
    if (appId === undefined) return undefined;
    return this.containers(appId, user).find((c) => c.containerId === containerId);
  }

  /** Bytes of one aggregated file (`size` as in {@link readFileRange}), or undefined. */
  read(containerId: string, fileName: string, size?: number, user?: string): Buffer | undefined {
    const c = this.container(containerId, user);
    if (!c) return undefined;
    const appId = applicationIdOfContainer(containerId)!;
    for (const owner of this.ownersOf(appId, user)) {
      const dir = realDirectory(join(this.appDir(owner, appId), nodeFileName(c.nodeId), containerId));
      if (dir === undefined) continue;
      const bytes = readFileRange(dir, fileName, size);
      if (bytes !== undefined) return bytes;
    }
    return undefined;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
