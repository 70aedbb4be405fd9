import { Router, type Request, type Response } from 'express';

/**
 * The paths of YARN's own RM web UI (`/cluster`, `/cluster/app/<appId>`, ...) that people,
 * bookmarks, scripts and YARN's diagnostics texts use, redirected to the page of this UI that
 * shows the same thing (its pages live behind `#/` hash routes).
 */
const APP_ID = /^application_\d+_\d+$/;
const ATTEMPT_ID = /^appattempt_(\d+)_(\d+)_\d+$/;

export function yarnUiPaths(): Router {
  const router = Router();
  const to = (hash: string) => (_req: Request, res: Response) => res.redirect(302, `/#/${hash}`);
  router.get(['/cluster', '/cluster/cluster', '/cluster/overview'], to(''));
  router.get(['/cluster/apps', '/cluster/apps/:state'], (req, res) => {
    const state = typeof req.params.state === 'string' ? req.params.state.toUpperCase() : undefined;
    res.redirect(302, state ? `/#/apps?state=${encodeURIComponent(state)}` : '/#/apps');
  });
  router.get('/cluster/app/:appId', (req, res, next) => {
    if (!APP_ID.test(req.params.appId)) return next();
    res.redirect(302, `/#/apps/${req.params.appId}`);
  });
  router.get('/cluster/appattempt/:attemptId', (req, res, next) => {
    const m = ATTEMPT_ID.exec(req.params.attemptId);
    if (!m) return next();
    res.redirect(302, `/#/apps/application_${m[1]}_${m[2]}`);
  });
  router.get('/cluster/nodes', to('nodes'));
  router.get('/cluster/scheduler', to('queues'));
  return router;
}
