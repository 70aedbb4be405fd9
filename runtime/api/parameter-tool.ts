/**
 * Reads `--key value` / `--flag` job arguments, like Flink's ParameterTool.fromArgs. Arguments
 * that follow no `--key` are kept as positional().
 */
export class ParameterTool {
  private readonly values: ReadonlyMap<string, string>;
  private readonly rest: readonly string[];

  private constructor(values: Map<string, string>, rest: string[]) {
    this.values = values;
    this.rest = rest;
  }

  static fromArgs(args: readonly string[]): ParameterTool {
    const values = new Map<string, string>();
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (!arg.startsWith('-') || arg === '-' || arg === '--') {
        rest.push(arg);
        continue;
      }
      const body = arg.replace(/^--?/, '');
      const eq = body.indexOf('=');
      if (eq >= 0) {
        values.set(body.slice(0, eq), body.slice(eq + 1));
        continue;
      }
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        values.set(body, next);
        i++;
      } else values.set(body, 'true');
    }
    return new ParameterTool(values, rest);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  get(key: string): string | undefined;
  get(key: string, defaultValue: string): string;
  get(key: string, defaultValue?: string): string | undefined {
    return this.values.get(key) ?? defaultValue;
  }

  getNumber(key: string): number | undefined;
  getNumber(key: string, defaultValue: number): number;
  getNumber(key: string, defaultValue?: number): number | undefined {
    const raw = this.values.get(key);
    if (raw === undefined) return defaultValue;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new Error(`Argument --${key} must be a number, got '${raw}'`);
    return value;
  }

  positional(): readonly string[] {
    return this.rest;
  }
}
