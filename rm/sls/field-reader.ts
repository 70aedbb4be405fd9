import { SlsInputError } from './json-stream.ts';

/**
 * Typed reads of one JSON object of a trace, each failure naming where the object came from and
 * the field (`trace.json: job 3 (job_3): job.tasks[1].container.end.ms must be a number`).
 */
export class FieldReader {
  readonly obj: Record<string, unknown>;
  readonly where: string;

  constructor(value: unknown, where: string) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SlsInputError(`${where}: expected a JSON object, got ${describe(value)}`);
    this.obj = value as Record<string, unknown>;
    this.where = where;
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  fail(key: string, what: string): never {
    throw new SlsInputError(`${this.where}: ${key} ${what}, got ${describe(this.obj[key])}`);
  }

  /** Numbers may be written as strings, as Jackson's `Long.parseLong(x.toString())` allows. */
  number(key: string, def?: number): number {
    if (!this.has(key)) {
      if (def === undefined) throw new SlsInputError(`${this.where}: ${key} is missing`);
      return def;
    }
    const raw = this.obj[key];
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(n)) this.fail(key, 'must be a number');
    return n;
  }

  int(key: string, def?: number): number {
    const n = this.number(key, def);
    if (!Number.isInteger(n)) this.fail(key, 'must be an integer');
    return n;
  }

  string(key: string, def?: string): string {
    if (!this.has(key)) {
      if (def === undefined) throw new SlsInputError(`${this.where}: ${key} is missing`);
      return def;
    }
    const raw = this.obj[key];
    if (typeof raw === 'string') return raw;
    if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
    return this.fail(key, 'must be a string');
  }

  oneOf<T extends string>(key: string, values: readonly T[], def: T): T {
    const v = this.string(key, def);
    if (!(values as readonly string[]).includes(v)) this.fail(key, `must be one of ${values.join(', ')}`);
    return v as T;
  }

  array(key: string): unknown[] | undefined {
    if (!this.has(key)) return undefined;
    const raw: unknown = this.obj[key];
    if (!Array.isArray(raw)) this.fail(key, 'must be an array');
    return raw as unknown[];
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
