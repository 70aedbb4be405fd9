import type { Request, Response } from 'express';

/**
 * Server-rendered pages for the links YARN hands to people (an NM's web address, `amContainerLogs`,
 * the web proxy of a finished application): small HTML documents with no script, every
 * interpolated value escaped. The single-page UIs stay the place for everything else.
 */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(typeof value === 'string' ? value : JSON.stringify(value));
}

/** A template whose `${values}` are escaped unless they are SafeHtml (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Only http(s) and relative links; any other scheme (javascript:, data:) becomes `#`. */
export function safeHref(url: string): string {
  const scheme = /^([a-z][\w+.-]*):/i.exec(url);
  return !scheme || /^https?$/i.test(scheme[1]!) ? url : '#';
}

/** `<a href>` with a checked URL. */
export const link = (url: string, text: unknown): SafeHtml => html`<a href="${safeHref(url)}">${text}</a>`;

/** A definition table of label → value rows. */
export const facts = (rows: readonly (readonly [string, unknown])[]): SafeHtml =>
  html`<table class="facts">${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>`;

const STYLE = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#667085;--bg:#fafbfc;--card:#fff;--line:#e3e6ea;--accent:#2f6fdf;--bad:#c0362c}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8ec;--muted:#98a2b3;--bg:#14171c;--card:#1c2027;--line:#2c323c;--accent:#6ea0ff;--bad:#ff7b6e}}
body{font:14px/1.5 system-ui,sans-serif;margin:0;background:var(--bg);color:var(--fg)}
header{padding:10px 24px;border-bottom:1px solid var(--line);background:var(--card)}
header b{margin-right:12px}header a{margin-right:12px}
main{max-width:1100px;padding:16px 24px}
h1{font-size:20px;margin:8px 0 12px}h2{font-size:16px;margin:20px 0 8px}
a{color:var(--accent)}
.muted{color:var(--muted)}.bad{color:var(--bad)}
table{border-collapse:collapse;background:var(--card);border:1px solid var(--line)}
th,td{text-align:left;padding:4px 10px;border-bottom:1px solid var(--line);vertical-align:baseline}
table.facts th{color:var(--muted);font-weight:500;white-space:nowrap}
.mono,code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
pre{background:var(--card);border:1px solid var(--line);padding:10px;overflow:auto;white-space:pre-wrap;word-break:break-all}
.num{text-align:right;font-variant-numeric:tabular-nums}
`;

export interface HtmlDocument {
  readonly title: string;
  /** Brand and links across the top. */
  readonly header?: SafeHtml;
  readonly body: SafeHtml;
}

export function htmlDocument(doc: HtmlDocument): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title><style>${STYLE}</style></head>
<body>${doc.header ? `<header>${doc.header.value}</header>` : ''}<main>${doc.body.value}</main></body></html>
`;
}

/** Sends a page with the headers every server-rendered page gets (no script may run in it). */
export function sendHtml(res: Response, status: number, doc: HtmlDocument): void {
  res.status(status);
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-cache');
  res.type('html').send(htmlDocument(doc));
}

/** A browser navigating (Accept prefers text/html over JSON), as opposed to a REST client. */
export function wantsHtml(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}
