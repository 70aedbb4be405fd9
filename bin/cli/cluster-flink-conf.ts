import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLINK_CONF_FILES, parseFlinkConfYaml } from '../../runtime/config/flink-conf-file.ts';

/**
 * The Flink configuration a `weft cluster start` cluster gives its JobManagers: a
 * `flink-conf.yaml` in `<dir>/conf`, which the NMs pass to every container as FLINK_CONF_DIR.
 * It names the archive dir the history server reads and the history server's address, so each
 * finished job is archived and YARN's proxy of a finished Flink application leads there. Keys a
 * user added to the file are kept; only these are rewritten on each start.
 */
export interface ClusterFlinkConf {
  readonly archiveDir: string;
  readonly historyHost: string;
  readonly historyPort: number;
}

const HEADER = '# Flink configuration of the weft cluster in this directory (FLINK_CONF_DIR of its containers).\n# weft cluster start rewrites the keys it owns on each start; add your own below.\n';

export function clusterFlinkConfEntries(c: ClusterFlinkConf): [string, string][] {
  return [
    ['jobmanager.archive.fs.dir', c.archiveDir],
    ['historyserver.archive.fs.dir', c.archiveDir],
    ['historyserver.web.address', c.historyHost],
    ['historyserver.web.port', String(c.historyPort)],
  ];
}

/** Writes `<confDir>/flink-conf.yaml` (or updates config.yaml when the user keeps that one); returns its path. */
export function writeClusterFlinkConf(confDir: string, c: ClusterFlinkConf): string {
  mkdirSync(confDir, { recursive: true });
  const name = FLINK_CONF_FILES.find((f) => existsSync(join(confDir, f))) ?? 'flink-conf.yaml';
  const path = join(confDir, name);
  const ours = clusterFlinkConfEntries(c);
  const owned = new Set(ours.map(([k]) => k));
  const kept = existsSync(path) ? parseFlinkConfYaml(readFileSync(path, 'utf8')).filter(([k]) => !owned.has(k)) : [];
  const lines = [...ours, ...kept].map(([k, v]) => `${k}: ${v}`);
  writeFileSync(path, `${HEADER}${lines.join('\n')}\n`);
  return path;
}
