import express, { type RequestHandler } from 'express';

/**
 * Static files of the web UI. `express.static` resolves paths inside `root` only (a `..` segment,
 * encoded or not, is refused and falls through to the RM's 404), ignores dotfiles and does not
 * list directories. The policy header keeps scripts, styles and sockets to this origin; NM log
 * pages are fetched cross-origin, so `connect-src` admits http(s).
 */
export function staticFiles(root: string): RequestHandler {
  return express.static(root, {
    index: 'index.html',
    dotfiles: 'ignore',
    redirect: false,
    fallthrough: true,
    setHeaders: (res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'same-origin');
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss: http: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      );
    },
  });
}
