import { readFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Hadoop's `Configuration` for the files weft reads (yarn-site.xml, capacity-scheduler.xml, or a
 * flat JSON object with the same keys): resources added in order, later ones winning unless a key
 * was marked `<final>`, and `${...}` expanded as Hadoop's `substituteVars` does. Values are kept
 * verbatim otherwise: an ACL of a single space means "no one", so trimming belongs to the reader.
 */
export interface HadoopResource {
  readonly source: string;
  readonly properties: ReadonlyMap<string, string>;
  readonly finals: ReadonlySet<string>;
  /** A final key declared again inside the same file (or its includes), as Hadoop warns of it. */
  readonly warnings: readonly string[];
}

/** Hadoop's `Configuration.MAX_SUBST`: how many `${...}` one value may expand before it is refused. */
export const MAX_SUBST = 20;

export class HadoopConfiguration {
  private readonly properties = new Map<string, string>();
  private readonly finals = new Set<string>();
  /** Hadoop logs these at WARN; the process that reads the files decides where they go. */
  readonly warnings: string[] = [];

  private readonly systemProperties: (name: string) => string | undefined;

  constructor(systemProperties: (name: string) => string | undefined = javaSystemProperty) {
    this.systemProperties = systemProperties;
  }

  addResource(resource: HadoopResource): this {
    this.warnings.push(...resource.warnings);
    for (const [key, value] of resource.properties) {
      if (this.finals.has(key)) {
        if (this.properties.get(key) !== value) this.warnings.push(finalOverride(resource.source, key));
        continue;
      }
      this.properties.set(key, value);
      if (resource.finals.has(key)) this.finals.add(key);
    }
    return this;
  }

  /** As Hadoop's `set`: a value given on the command line wins even over a final one. */
  set(key: string, value: string): this {
    this.properties.set(key, value);
    return this;
  }

  getRaw(key: string): string | undefined {
    return this.properties.get(key);
  }

  get(key: string): string | undefined {
    const raw = this.properties.get(key);
    return raw === undefined ? undefined : this.substituteVars(raw);
  }

  isFinal(key: string): boolean {
    return this.finals.has(key);
  }

  /** Every property, expanded. */
  toMap(): Map<string, string> {
    const out = new Map<string, string>();
    for (const key of this.properties.keys()) out.set(key, this.get(key) ?? '');
    return out;
  }

  /**
   * Hadoop's variable expansion: `${env.NAME}` (with `:-default` / `-default`), then a Java system
   * property, then another key of this configuration. An unbound variable stays as written, a value
   * that refers to itself is returned unexpanded, and more than MAX_SUBST steps is an error.
   */
  substituteVars(expr: string): string {
    let value = expr;
    for (let step = 0; step < MAX_SUBST; step++) {
      const match = /\$\{([^}$\s]+)\}/.exec(value);
      if (!match) return value;
      const name = match[1] ?? '';
      const bound = (name.startsWith('env.') && name.length > 4 ? environmentVariable(name.slice(4)) : this.systemProperties(name)) ?? this.properties.get(name);
      if (bound === undefined) return value;
      if (bound.includes(match[0])) return expr;
      value = value.slice(0, match.index) + bound + value.slice(match.index + match[0].length);
    }
    throw new Error(`Variable substitution depth too large: ${MAX_SUBST} ${expr}`);
  }
}

const finalOverride = (source: string, key: string): string => `${source}:an attempt to override final parameter: ${key};  Ignoring.`;

function environmentVariable(spec: string): string | undefined {
  const withDefault = /^([^:-]*)(:-|-)(.*)$/s.exec(spec);
  if (!withDefault) return process.env[spec];
  const [, name = '', operator, fallback = ''] = withDefault;
  const value = process.env[name];
  // `:-` also replaces an empty value, `-` only a missing one, as in the shell and in Hadoop.
  return value === undefined || (operator === ':-' && value === '') ? fallback : value;
}

function javaSystemProperty(name: string): string | undefined {
  switch (name) {
    case 'user.name':
      return userInfo().username;
    case 'user.home':
      return homedir();
    case 'user.dir':
      return process.cwd();
    case 'java.io.tmpdir':
      return tmpdir();
    default:
      return undefined;
  }
}

/** A configuration file or text as one resource; XML `xi:include`s are read relative to `source`. */
export function parseHadoopResource(text: string, source: string): HadoopResource {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('{')) return parseJson(body, source);
  if (body.startsWith('<')) return parseXml(body, source, new Set([resolve(source)]));
  throw new Error(`${source}: not a Hadoop configuration (expected <configuration> XML or a JSON object of properties)`);
}

/** The properties of one resource, unexpanded (as Hadoop's `getRaw`). */
export function parseHadoopConfiguration(text: string, source: string): Map<string, string> {
  return new Map(parseHadoopResource(text, source).properties);
}

export function readHadoopResource(path: string): HadoopResource {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read configuration file: ${(err as Error).message}`, { cause: err });
  }
  return parseHadoopResource(text, path);
}

function parseJson(body: string, source: string): HadoopResource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new Error(`${source}: invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${source}: expected a JSON object of "key": value properties`);
  }
  const properties = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`${source}: property ${key} must be a string, number or boolean, got ${value === null ? 'null' : typeof value}`);
    }
    properties.set(key, String(value));
  }
  return { source, properties, finals: new Set(), warnings: [] };
}

/** fast-xml-parser's ordered form: each node is `{ tag: children, ':@'?: attributes }` or `{ '#text': text }`. */
type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const tagOf = (node: XmlNode): string | undefined => Object.keys(node).find((k) => k !== ':@');
const childrenOf = (node: XmlNode): XmlNode[] => {
  const tag = tagOf(node);
  const children = tag === undefined ? undefined : node[tag];
  return Array.isArray(children) ? (children as XmlNode[]) : [];
};
const attributesOf = (node: XmlNode): Record<string, string> => (node[':@'] as Record<string, string> | undefined) ?? {};
const textOf = (nodes: XmlNode[]): string => nodes.map((n) => (typeof n['#text'] === 'string' ? n['#text'] : '')).join('');
/** `xi:include`, whatever prefix the file bound XInclude's namespace to. */
const isInclude = (tag: string): boolean => tag === 'include' || tag.endsWith(':include');
const isFallback = (tag: string): boolean => tag === 'fallback' || tag.endsWith(':fallback');

function parseXml(body: string, source: string, including: ReadonlySet<string>): HadoopResource {
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new Error(`${source}:${valid.err.line}:${valid.err.col}: malformed XML: ${valid.err.msg}`);
  }
  const root = (parser.parse(body) as XmlNode[]).find((n) => tagOf(n) !== undefined && tagOf(n) !== '#text');
  if (!root || tagOf(root) !== 'configuration') {
    throw new Error(`${source}: expected a <configuration> root element with <property><name>…</name><value>…</value></property> entries`);
  }
  const resource: MutableResource = { source, properties: new Map(), finals: new Set(), warnings: [] };
  readElements(childrenOf(root), resource, including, { index: 0 });
  return resource;
}

interface MutableResource {
  readonly source: string;
  readonly properties: Map<string, string>;
  readonly finals: Set<string>;
  readonly warnings: string[];
}

function readElements(nodes: XmlNode[], into: MutableResource, including: ReadonlySet<string>, counter: { index: number }): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === undefined || tag === '#text') continue;
    if (tag === 'property') readProperty(node, into, ++counter.index);
    else if (isInclude(tag)) readInclude(node, into, including, counter);
  }
}

function readProperty(node: XmlNode, into: MutableResource, index: number): void {
  // Hadoop takes name, value and final as child elements or as attributes of <property>.
  const fields: Record<string, string> = { ...attributesOf(node) };
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === 'name' || tag === 'value' || tag === 'final') fields[tag] = textOf(childrenOf(child));
  }
  const name = fields['name']?.trim();
  if (!name) throw new Error(`${into.source}: <property> #${index} has no <name>`);
  define(into, into.source, name, fields['value'] ?? '', fields['final']?.trim() === 'true');
}

function define(into: MutableResource, source: string, key: string, value: string, final: boolean): void {
  if (into.finals.has(key)) {
    if (into.properties.get(key) !== value) into.warnings.push(finalOverride(source, key));
    return;
  }
  into.properties.set(key, value);
  if (final) into.finals.add(key);
}

function readInclude(node: XmlNode, into: MutableResource, including: ReadonlySet<string>, counter: { index: number }): void {
  const href = attributesOf(node)['href'];
  const fallback = childrenOf(node).find((c) => isFallback(tagOf(c) ?? ''));
  if (!href) throw new Error(`${into.source}: <xi:include> without an href`);
  const path = resolve(dirname(into.source), href);
  if (including.has(path)) throw new Error(`${into.source}: <xi:include href="${href}"> includes itself`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (fallback) {
      readElements(childrenOf(fallback), into, including, counter);
      return;
    }
    throw new Error(`${into.source}: Fetch fail on include for '${href}' with no fallback while loading '${into.source}': ${(err as Error).message}`, { cause: err });
  }
  const included = parseXml(text.replace(/^\uFEFF/, '').trim(), path, new Set([...including, path]));
  into.warnings.push(...included.warnings);
  for (const [key, value] of included.properties) define(into, path, key, value, included.finals.has(key));
}
