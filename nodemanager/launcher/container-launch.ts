import { chmodSync, existsSync, lstatSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalResource } from '../../rm/protocol/records.ts';
import { decodeCredentials } from '../../rm/protocol/tokens.ts';
import { WEFT_HOME } from '../../rm/common/weft-home.ts';

/**
 * Building a container's launch (YARN's ContainerLaunch): where it runs, what its environment
 * is, what its command line becomes, and which files are linked into its work dir. Plain
 * functions over paths and maps, so they can be tested without starting anything.
 */
export interface ContainerPaths {
  /** `<dir>/usercache/<user>/appcache/<appId>`: the app's local dir (LOCAL_DIRS). */
  readonly appLocalDir: string;
  /** `<appLocalDir>/<containerId>`: the container's cwd. */
  readonly workDir: string;
  /** `<dir>/logs/<appId>/<containerId>`: stdout, stderr and whatever the container writes (LOG_DIRS). */
  readonly logDir: string;
}

export function containerPaths(baseDir: string, user: string, appId: string, containerId: string): ContainerPaths {
  const appLocalDir = join(baseDir, 'usercache', user, 'appcache', appId);
  return { appLocalDir, workDir: join(appLocalDir, containerId), logDir: containerLogDir(baseDir, appId, containerId) };
}

export const appLogDir = (baseDir: string, appId: string): string => join(baseDir, 'logs', appId);
export const containerLogDir = (baseDir: string, appId: string, containerId: string): string => join(appLogDir(baseDir, appId), containerId);

/** `{{VAR}}` -> `$VAR` (the shell expands it), `<LOG_DIR>` -> the log dir, `<CPS>` -> `:`. */
export function expandMacros(text: string, logDir: string): string {
  return text
    .replace(/\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, (_m, name: string) => `$${name}`)
    .replaceAll('<LOG_DIR>', logDir)
    .replaceAll('<CPS>', ':');
}

/** The launch context's commands joined into one shell command line, as YARN's launch script does. */
export function expandCommand(commands: readonly string[], logDir: string): string {
  return commands.map((c) => expandMacros(c, logDir)).join(' ');
}

/** An environment value: macros, then `{{VAR}}` resolved against what is defined so far. */
function expandEnvValue(value: string, logDir: string, env: Readonly<Record<string, string>>): string {
  return value
    .replace(/\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, (_m, name: string) => env[name] ?? '')
    .replaceAll('<LOG_DIR>', logDir)
    .replaceAll('<CPS>', ':');
}

export interface EnvironmentInput {
  /** The NM's own environment; only whitelisted names pass through. */
  readonly nmEnv: Readonly<Record<string, string | undefined>>;
  readonly whitelist: readonly string[];
  readonly launchEnv: Readonly<Record<string, string>>;
  /** Set by the NM last; a launch context cannot override them (ApplicationConstants). */
  readonly finals: Readonly<Record<string, string>>;
  readonly logDir: string;
}

/** Whitelisted NM env, then the launch context's env, then the NM's final variables. */
export function buildEnvironment(input: EnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of input.whitelist) {
    const v = input.nmEnv[name];
    if (v !== undefined) env[name] = v;
  }
  for (const [k, v] of Object.entries(input.launchEnv)) {
    if (!(k in input.finals)) env[k] = expandEnvValue(v, input.logDir, { ...env, ...input.finals });
  }
  return { ...env, ...input.finals };
}

export { WEFT_HOME };

export type LocalizeResult = { ok: true } | { ok: false; diagnostics: string };

/** A resource key becomes a file name in the work dir; it may not point anywhere else. */
export function isSafeResourceKey(key: string): boolean {
  return key.length > 0 && key !== '.' && key !== '..' && !key.includes('/') && !key.includes('\\') && !key.includes('\0');
}

/**
 * Links each `file://` local resource into the work dir under its key (YARN localizes by copying
 * into a cache and symlinking; on one host a link to the source is the same thing).
 */
export function localizeResources(resources: Readonly<Record<string, LocalResource>>, workDir: string): LocalizeResult {
  for (const [key, res] of Object.entries(resources)) {
    if (!isSafeResourceKey(key)) return { ok: false, diagnostics: `Invalid local resource name '${key}': it must be a plain file name` };
    let url: URL;
    try {
      url = new URL(res.resource);
    } catch {
      return { ok: false, diagnostics: `Invalid local resource URL for '${key}': ${res.resource}` };
    }
    if (url.protocol !== 'file:') {
      return { ok: false, diagnostics: `Unsupported local resource scheme ${url.protocol} for '${key}' (only file:// is supported)` };
    }
    const source = fileURLToPath(url);
    if (!existsSync(source)) {
      return { ok: false, diagnostics: `Resource ${res.resource} for '${key}' does not exist (java.io.FileNotFoundException: File ${source} does not exist)` };
    }
    if (res.size >= 0 && statSync(source).isFile() && statSync(source).size !== res.size) {
      return { ok: false, diagnostics: `Resource ${res.resource} changed on src filesystem (expected size ${res.size}, was ${statSync(source).size})` };
    }
    const target = join(workDir, key);
    if (lstatExists(target)) return { ok: false, diagnostics: `Local resource '${key}' already exists in the container work dir` };
    symlinkSync(source, target);
  }
  return { ok: true };
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function makeContainerDirs(paths: ContainerPaths): void {
  mkdirSync(paths.workDir, { recursive: true, mode: 0o750 });
  mkdirSync(paths.logDir, { recursive: true, mode: 0o750 });
}

/** Writes the launch context's credentials for the container (HADOOP_TOKEN_FILE_LOCATION). */
export function writeContainerTokens(workDir: string, tokens: string): { ok: true; path: string } | { ok: false; diagnostics: string } {
  const credentials = decodeCredentials(tokens);
  if (!credentials) return { ok: false, diagnostics: 'Invalid credentials in container launch context (tokens is not base64 of {"tokens":{...}})' };
  const path = join(workDir, 'container_tokens');
  writeFileSync(path, JSON.stringify(credentials), { mode: 0o600 });
  chmodSync(path, 0o600);
  return { ok: true, path };
}
