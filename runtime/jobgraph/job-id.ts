import { randomBytes } from 'node:crypto';

/** Flink's JobID / JobVertexID / operator ids print as 32 lower-case hex characters (16 bytes). */
export const HEX_ID_PATTERN = /^[0-9a-f]{32}$/;

export function newJobId(): string {
  return randomBytes(16).toString('hex');
}

export function isHexId(value: string): boolean {
  return HEX_ID_PATTERN.test(value);
}
