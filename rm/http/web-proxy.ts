import http from 'node:http';
import type { Request, Response } from 'express';
import { WeftError, toRemoteException } from '../common/errors.ts';
import type { RmContext } from '../rm-context.ts';

/**
 * WebAppProxy inside the RM: `/proxy/<appId>/<path>` forwards to the tracking URL the AM
 * registered, so an application's own UI is reachable through the RM's single port.
 */
export function webProxy(ctx: RmContext) {
  return (req: Request, res: Response): void => {
    const appId = String(req.params['appId']);
    const app = ctx.apps.get(appId);
    const target = app?.currentAttempt?.trackingUrl;
    const fail = (err: WeftError): void => {
      res.status(err.status).json(toRemoteException(err));
    };
    if (!app) return fail(new WeftError('NotFound', `Application ${appId} could not be found`));
    if (app.isFinal) return fail(new WeftError('NotFound', `Application ${appId} has finished (${app.publicState}); its ApplicationMaster UI is gone`));
    if (!target) return fail(new WeftError('NotFound', `Application ${appId} has not registered a tracking URL yet (state ${app.publicState})`));
    let url: URL;
    try {
      url = new URL(target.includes('://') ? target : `http://${target}`);
    } catch {
      return fail(new WeftError('BadRequest', `Application ${appId} registered an invalid tracking URL: ${target}`));
    }
    const rest = req.originalUrl.slice(`/proxy/${appId}`.length) || '/';
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
