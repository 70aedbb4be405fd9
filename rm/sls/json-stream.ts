/** A syntax or shape problem in an input file, naming the file and where in it. */
export class SlsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlsInputError';
  }
}

/**
 * Reads a file of concatenated JSON values, as Jackson's `readValues` does for SLS traces and
 * nodes files (`{...}{...}` or one per line); `//` and `/* *\/` comments are skipped, since the
 * SLS documentation's own examples carry them. Returns each top-level value in order.
 */
export function parseJsonStream(text: string, file: string): unknown[] {
  const src = stripComments(text.replace(/^\uFEFF/, ''));
  const values: unknown[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    while (i < n && /\s/.test(src[i] as string)) i++;
    if (i >= n) break;
    const start = i;
    const first = src[i];
    if (first !== '{' && first !== '[') throw new SlsInputError(`${file}: expected a JSON object at ${position(src, i)}, found '${first}'`);
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = src[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) throw new SlsInputError(`${file}: unterminated JSON value starting at ${position(src, start)}`);
    const chunk = src.slice(start, i);
    try {
      values.push(JSON.parse(chunk));
    } catch (err) {
      throw new SlsInputError(`${file}: invalid JSON in the value starting at ${position(src, start)}: ${(err as Error).message}`);
    }
  }
  return values;
}

function position(src: string, index: number): string {
  let line = 1;
  let col = 1;
  for (let k = 0; k < index; k++) {
    if (src[k] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

/** Replaces comments outside strings by spaces, keeping line numbers. */
function stripComments(src: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (inString) {
      out += c;
      if (c === '\\' && i + 1 < src.length) out += src[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && src[i + 1] === '*') {
      i += 2;
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) {
        out += src[i] === '\n' ? '\n' : ' ';
        i++;
      }
      i++;
    } else out += c;
  }
  return out;
}
