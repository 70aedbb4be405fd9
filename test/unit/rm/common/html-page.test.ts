import { describe, expect, it } from 'vitest';
import { html, htmlDocument, link, safeHref } from '../../../../rm/common/html-page.ts';

describe('server-rendered pages', () => {
  it('escape every interpolated value, unless it is itself html``', () => {
    const name = '<script>alert("x")</script>';
    const out = html`<p>${name} ${html`<b>${'&'}</b>`} ${[1, 'a<b']} ${undefined}${false}</p>`.value;
    expect(out).toBe('<p>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; <b>&#38;</b> 1a&#60;b </p>');
    expect(htmlDocument({ title: '<t>', body: html`x` })).toContain('<title>&#60;t&#62;</title>');
  });

  it('link only to http(s) and relative URLs', () => {
    expect(safeHref('http://h:1/x')).toBe('http://h:1/x');
    expect(safeHref('/node')).toBe('/node');
    expect(safeHref('#/apps')).toBe('#/apps');
    expect(safeHref('javascript:alert(1)')).toBe('#');
    expect(safeHref('data:text/html,x')).toBe('#');
    expect(link('javascript:x', 'a"b').value).toBe('<a href="#">a&#34;b</a>');
  });
});
