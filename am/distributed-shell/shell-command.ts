/**
 * The user's command travels to the AM base64-encoded on its command line, so no quoting layer
 * (the CLI, the NM's launch shell, the AM's own argv) can mangle it; base64 only uses
 * characters a POSIX shell leaves alone.
 */
export const encodeShellCommand = (command: string): string => Buffer.from(command, 'utf8').toString('base64');

export function decodeShellCommand(encoded: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new Error('the shell command is not valid base64');
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** The env var a DistributedShell container's command is read from; an env value needs no quoting. */
export const SHELL_COMMAND_ENV = 'WEFT_DSHELL_COMMAND';

/** The container command: run the user's command in a shell, stdout/stderr into the log dir. */
export const containerShellCommand = (): string => `exec /bin/sh -c "$${SHELL_COMMAND_ENV}" 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr`;
