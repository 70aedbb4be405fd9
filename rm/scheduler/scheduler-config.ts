import { readFileSync } from 'node:fs';

/**
 * Hadoop-style configuration files (yarn-site.xml, capacity-scheduler.xml) or a flat JSON object
 * with the same keys, as a key → value map. Values are kept verbatim: an ACL of a single space
 * means "no one", so trimming belongs to whoever reads a key.
 */
export function parseHadoopConfiguration(text: string, source: string): Map<string, string> {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('{')) return parseJson(body, source);
  if (body.startsWith('<')) return parseXml(body, source);
  throw new Error(`${source}: not a Hadoop configuration (expected <configuration> XML or a JSON object of properties)`);
}

export function readHadoopConfiguration(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read configuration file: ${(err as Error).message}`, { cause: err });
  }
  return parseHadoopConfiguration(text, path);
}

function parseJson(body: string, source: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new Error(`${source}: invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${source}: expected a JSON object of "key": value properties`);
  }
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`${source}: property ${key} must be a string, number or boolean, got ${value === null ? 'null' : typeof value}`);
    }
    out.set(key, String(value));
  }
  return out;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const decodeXml = (s: string): string =>
  s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ent: string) => {
      if (ent.startsWith('#x') || ent.startsWith('#X')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
      if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
      return ENTITIES[ent.toLowerCase()] ?? whole;
    });

function element(block: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}\\b[^>]*?(?:/>|>([\\s\\S]*?)</${tag}\\s*>)`).exec(block);
  if (!m) return undefined;
  return decodeXml(m[1] ?? '');
}

function parseXml(body: string, source: string): Map<string, string> {
  const xml = body.replace(/<!--[\s\S]*?-->/g, '');
  if (!/<configuration\b[^>]*>/.test(xml)) {
    throw new Error(`${source}: expected a <configuration> root element with <property><name>…</name><value>…</value></property> entries`);
  }
  const out = new Map<string, string>();
  let index = 0;
  for (const m of xml.matchAll(/<property\b[^>]*>([\s\S]*?)<\/property\s*>/g)) {
    index++;
    const block = m[1] ?? '';
    const name = element(block, 'name')?.trim();
    if (!name) throw new Error(`${source}: <property> #${index} has no <name>`);
    out.set(name, element(block, 'value') ?? '');
  }
  return out;
}
