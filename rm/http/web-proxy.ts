import http, { type IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Request, Response } from 'express';
import { WeftError, toRemoteException } from '../common/errors.ts';
import { sendHtml, wantsHtml, type HtmlDocument } from '../common/html-page.ts';
import type { RmContext } from '../rm-context.ts';
import { finishedAppPage, notRegisteredPage, unknownAppPage } from './proxy-pages.ts';

/**
 * WebAppProxy inside the RM: `/proxy/<appId>/<path>` forwards to the tracking URL the AM
 * registered, so an application's own UI is reachable through the RM's single port. Once the
 * application finished, the proxy redirects to the URL its AM named when it unregistered (Flink:
 * its history server), with the same path; without one a browser gets a page saying what
 * happened and a REST client a RemoteException.
 */
export function webProxy(ctx: RmContext) {
  return (req: Request, res: Response): void => {
    const appId = String(req.params['appId']);
    const app = ctx.apps.get(appId);
    const target = app?.currentAttempt?.trackingUrl;
    const rest = req.originalUrl.slice(req.baseUrl.length) || '/';
    const fail = (err: WeftError, page?: HtmlDocument): void => {
      if (page && wantsHtml(req)) return sendHtml(res, err.status, page);
      res.status(err.status).json(toRemoteException(err));
    };
    if (!app) return fail(new WeftError('NotFound', `Application ${appId} could not be found`), unknownAppPage(ctx.rmAddress, appId));
    if (app.isFinal) {
      const history = historyUrl(app.currentAttempt?.finalTrackingUrl ?? '', rest);
      if (history) return res.redirect(302, history);
      return fail(new WeftError('NotFound', `Application ${appId} has finished (${app.publicState}); its ApplicationMaster UI is gone`), finishedAppPage(ctx.rmAddress, app));
    }
    if (!target) return fail(new WeftError('NotFound', `Application ${appId} has not registered a tracking URL yet (state ${app.publicState})`), notRegisteredPage(ctx.rmAddress, app));
    let url: URL;
    try {
      url = new URL(target.includes('://') ? target : `http://${target}`);
    } catch {
      return fail(new WeftError('BadRequest', `Application ${appId} registered an invalid tracking URL: ${target}`));
    }
    const path = url.pathname.replace(/\/+$/, '') + (rest.startsWith('/') ? rest : `/${rest}`);
    const upstream = http.request(
      { hostname: url.hostname, port: url.port || 80, method: req.method, path, headers: { ...req.headers, host: url.host } },
      (up) => {
        res.status(up.statusCode ?? 502);
        for (const [k, v] of Object.entries(up.headers)) if (v !== undefined) res.setHeader(k, v);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) fail(new WeftError('ServiceUnavailable', `The ApplicationMaster of ${appId} at ${url.host} did not answer: ${err.message}`));
      else res.destroy();
    });
    req.pipe(upstream);
  };
}

/** `final` + the proxied path, when `final` is an http(s) URL; undefined otherwise. */
export function historyUrl(final: string, rest: string): string | undefined {
  if (!final) return undefined;
  let url: URL;
  try {
    url = new URL(final.includes('://') ? final : `http://${final}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const suffix = rest.startsWith('/') ? rest : `/${rest}`;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}${suffix}`;
}

export interface WebProxyUpgrades {
  /** The RM server's 'upgrade' listener. */
  readonly onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Open tunnels (each a client and an AM socket). */
  readonly size: number;
  /** Destroys every tunnel (RM stop). */
  close(): void;
}

const PROXY_PATH = /^\/proxy\/([^/?#]+)(.*)$/s;

/**
 * Websocket upgrades through the web proxy: `GET /proxy/<appId>/<path>` with `Upgrade` is
 * replayed to the AM's tracking host:port with the path rewritten as {@link webProxy} does, and
 * both sockets are then piped to each other. Unknown, finished and not yet registered apps are
 * refused with a 404 on the socket. Paths outside `/proxy/` belong to other listeners (the web
 * UI's hub); one that nobody answered by the next tick is refused with a 404.
 */
export function webProxyUpgrades(ctx: RmContext): WebProxyUpgrades {
  const tunnels = new Set<Duplex>();
  const track = (s: Duplex): void => {
    tunnels.add(s);
    s.once('close', () => tunnels.delete(s));
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const m = PROXY_PATH.exec(req.url ?? '/');
    if (!m) {
      setImmediate(() => {
        if (!socket.destroyed && (socket as Socket).bytesWritten === 0) refuseUpgrade(socket, 404, 'Not Found');
      });
      return;
    }
    let appId: string;
    try {
      appId = decodeURIComponent(m[1]!);
    } catch {
      return refuseUpgrade(socket, 400, 'Bad Request');
    }
    const app = ctx.apps.get(appId);
    const target = app?.currentAttempt?.trackingUrl;
    if (!app || app.isFinal || !target) return refuseUpgrade(socket, 404, 'Not Found');
    let url: URL;
    try {
      url = new URL(target.includes('://') ? target : `http://${target}`);
    } catch {
      return refuseUpgrade(socket, 502, 'Bad Gateway');
    }
    const rest = m[2] || '/';
    const path = url.pathname.replace(/\/+$/, '') + (rest.startsWith('/') ? rest : `/${rest}`);
    const upstream = net.connect({ host: url.hostname, port: Number(url.port || 80) });
    track(socket);
    track(upstream);
    const destroyBoth = (): void => {
      socket.destroy();
      upstream.destroy();
    };
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`];
      const raw = req.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i]!;
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? url.host : raw[i + 1]!}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.once('error', (err) => {
      ctx.logger.debug({ appId, err: err.message }, 'web proxy: websocket tunnel to the ApplicationMaster failed');
      if (!connected) refuseUpgrade(socket, 502, 'Bad Gateway');
      else destroyBoth();
    });
    socket.once('error', destroyBoth);
    upstream.once('close', () => socket.end());
    socket.once('close', () => upstream.destroy());
  };
  return {
    onUpgrade,
    get size() {
      return tunnels.size;
    },
    close() {
      for (const s of tunnels) s.destroy();
      tunnels.clear();
    },
  };
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
