import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/**
 * Bad configuration of any weft process: a flag, a key or a value. The message names what is
 * wrong and is one line, so a process's main can print it to stderr and exit 1.
 */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** One zod issue, as each process phrases it in its ConfigError. */
export type ConfigIssue = z.core.$ZodIssue;

/** The key an issue is about: its path, dotted (a YARN or Flink key is one path segment). */
export const issueKey = (issue: ConfigIssue): string => issue.path.map(String).join('.');

const defaultDescribe = (issue: ConfigIssue): string => `invalid configuration value for ${issueKey(issue)}: ${issue.message}`;

/**
 * Parses a process's raw configuration with its schema (defaults live in the schema) and freezes
 * the result, objects and arrays all the way down, so nothing changes it after start. A bad value
 * is a ConfigError that `describe` phrases from the first issue, naming the key.
 */
export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, describe: (issue: ConfigIssue) => string = defaultDescribe): Readonly<z.output<S>> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(issue === undefined ? 'invalid configuration' : describe(issue).replace(/\s*\n\s*/g, ' '));
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What node's parseArgs makes of `options`, strictly and without positionals. */
export type ParsedFlags<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'];

/** A process's command-line flags, strictly (an unknown or malformed flag is a one-line ConfigError). */
export function parseFlags<const O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O): ParsedFlags<O> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new ConfigError((err as Error).message.replace(/\s*\n\s*/g, ' '));
  }
}

/** `key=value` pairs (`--conf`, `-D`), trimmed; the ConfigError names the flag and the bad pair. */
export function parseKeyValues(pairs: readonly string[], flag = '--conf'): [string, string][] {
  return pairs.map((kv) => {
    const i = kv.indexOf('=');
    if (i <= 0) throw new ConfigError(`${flag}: expected key=value, got '${kv}'`);
    return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
  });
}
