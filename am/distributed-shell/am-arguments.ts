import { ConfigError, parseFlags } from '../../rm/common/config.ts';
import type { DistributedShellOptions } from './application-master.ts';
import { decodeShellCommand } from './shell-command.ts';

/** The AM's command line, as the DistributedShell client writes it. */
export function parseDistributedShellArgs(argv: readonly string[]): DistributedShellOptions {
  const values = parseFlags(argv, {
    'num-containers': { type: 'string', default: '1' },
    'container-memory': { type: 'string', default: '128' },
    'container-vcores': { type: 'string', default: '1' },
    priority: { type: 'string', default: '0' },
    'shell-command-b64': { type: 'string' },
    'shell-env': { type: 'string', multiple: true, default: [] }, // base64 of KEY=VALUE
    'max-container-retries': { type: 'string', default: '0' },
    'heartbeat-interval-ms': { type: 'string', default: '250' },
  });
  const int = (name: keyof typeof values, min: number): number => {
    const raw = values[name];
    const n = Number(raw);
    if (typeof raw !== 'string' || !Number.isInteger(n) || n < min) throw new ConfigError(`--${name} must be an integer >= ${min}, got ${String(raw)}`);
    return n;
  };
  const encoded = values['shell-command-b64'];
  if (encoded === undefined) throw new ConfigError('--shell-command-b64 is required');
  const shellEnv: Record<string, string> = {};
  for (const encodedKv of values['shell-env']) {
    // Base64 like the command, so values with spaces or quotes survive the launch shell.
    const kv = decodeShellCommand(encodedKv);
    const i = kv.indexOf('=');
    if (i <= 0) throw new ConfigError(`--shell-env expects KEY=VALUE, got ${kv}`);
    shellEnv[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return {
    numContainers: int('num-containers', 0),
    capability: { memory: int('container-memory', 1), vCores: int('container-vcores', 1) },
    priority: int('priority', 0),
    shellCommand: decodeShellCommand(encoded),
    shellEnv,
    maxContainerRetries: int('max-container-retries', 0),
    heartbeatIntervalMs: int('heartbeat-interval-ms', 1),
  };
}
