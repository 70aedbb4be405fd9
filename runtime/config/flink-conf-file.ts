import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Flink's configuration file in `FLINK_CONF_DIR` (GlobalConfiguration.loadConfiguration):
 * `config.yaml` (Flink 1.19+, YAML: nested maps become dotted keys) or, when absent, the legacy
 * `flink-conf.yaml` (one `key: value` per line). `#` starts a comment; lines that are not
 * `key: value` are skipped. Values keep their text; quotes around a whole value are removed.
 */
export const FLINK_CONF_FILES = ['config.yaml', 'flink-conf.yaml'] as const;

export function parseFlinkConfYaml(text: string): [string, string][] {
  const props: [string, string][] = [];
  // Open maps above the current line: their indentation and key.
  const stack: { indent: number; key: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw);
    if (line.trim() === '' || line.trimStart().startsWith('- ')) continue;
    const indent = line.length - line.trimStart().length;
    const m = /^([^:\s][^:]*?)\s*:(?:\s+(.*))?$/.exec(line.trim());
    if (!m) continue;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const key = [...stack.map((s) => s.key), unquote(m[1]!)].join('.');
    const value = m[2]?.trim() ?? '';
    if (value === '') stack.push({ indent, key: unquote(m[1]!) });
    else props.push([key, unquote(value)]);
  }
  return props;
}

/** The file's properties, or [] when `dir` is unset or holds neither file. */
export function loadFlinkConfDir(dir: string | undefined): [string, string][] {
  if (!dir) return [];
  for (const name of FLINK_CONF_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) return parseFlinkConfYaml(readFileSync(path, 'utf8'));
  }
  return [];
}

/** `$FLINK_CONF_DIR`'s properties, as every Flink process (client, JobManager, history server) reads them first. */
export const flinkConfFromEnv = (env: NodeJS.ProcessEnv = process.env): [string, string][] => loadFlinkConfDir(env.FLINK_CONF_DIR);

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i);
    }
  }
  return line;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0] ? t.slice(1, -1) : t;
}
