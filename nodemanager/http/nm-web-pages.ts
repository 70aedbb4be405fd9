import express, { type Request, type Response, type Router } from 'express';
import { WeftError } from '../../rm/common/errors.ts';
import { facts, html, link, sendHtml, type SafeHtml } from '../../rm/common/html-page.ts';
import { parseContainerId } from '../../rm/protocol/ids.ts';
import type { NmContext } from '../nm-context.ts';
import type { ContainerLogFiles, LogFileInfo } from './container-log-files.ts';

export interface NmWebPagesDeps {
  readonly context: NmContext;
  readonly logs: ContainerLogFiles;
  /** The RM's web address, for the links back to the cluster UI. */
  readonly rmUrl: string;
}

/** YARN's ContainerLogsPage shows the last 4 KB of a file unless asked for more (`?start=`). */
const DEFAULT_START = -4096;

const enc = encodeURIComponent;

/**
 * The NM's web pages, the human side of its port (YARN's NMWebApp under `/node`): the node, its
 * applications and containers, and the container log pages behind the links YARN hands out
 * (`amContainerLogs`, an attempt's `logsLink`: `/node/containerlogs/<containerId>/<user>`), which
 * list every file of the container and show one; after log aggregation they read the aggregated
 * copy. `/` leads to `/node`. The REST API stays JSON under `/ws/v1/node`.
 */
export function nmWebPages(deps: NmWebPagesDeps): Router {
  const { context, logs } = deps;
  const router = express.Router();
  const rm = deps.rmUrl.replace(/\/+$/, '');

  const header = (): SafeHtml =>
    html`<b>weft · NodeManager ${context.nodeId}</b>${link('/node', 'Node')}${link('/node/allApplications', 'Applications')}${link('/node/allContainers', 'Containers')}${link(`${rm}/`, 'Cluster ↗')}`;
  const page = (res: Response, title: string, body: SafeHtml, status = 200): void => sendHtml(res, status, { title, header: header(), body });
  const notFound = (res: Response, title: string, message: SafeHtml): void => page(res, title, html`<h1>${title}</h1>${message}`, 404);

  router.get('/', (_req, res) => res.redirect(302, '/node'));
  router.get(['/node', '/node/node'], (_req, res: Response) => {
    const running = [...context.containers.values()].filter((c) => !c.isDone);
    const used = running.reduce((m, c) => ({ memory: m.memory + c.resource.memory, vCores: m.vCores + c.resource.vCores }), { memory: 0, vCores: 0 });
    page(
      res,
      `NodeManager ${context.nodeId}`,
      html`<h1>NodeManager ${context.nodeId}</h1>
${facts([
  ['Node id', html`<span class="mono">${context.nodeId}</span>`],
  ['Health', context.healthy ? 'healthy' : html`<b class="bad">unhealthy</b> ${context.healthReport}`],
  ['Memory', `${used.memory} MB used of ${context.resource.memory} MB`],
  ['VCores', `${used.vCores} used of ${context.resource.vCores}`],
  ['Running containers', String(running.length)],
  ['Started', new Date(context.startTime).toISOString()],
  ['Last heartbeat answered', context.lastNodeUpdateTime > 0 ? new Date(context.lastNodeUpdateTime).toISOString() : '–'],
  ['ResourceManager', link(`${rm}/#/nodes/${enc(context.nodeId)}`, 'this node in the cluster UI')],
  ['REST', link('/ws/v1/node', '/ws/v1/node')],
])}`,
    );
  });

  router.get('/node/allApplications', (_req, res: Response) => {
    const apps = [...context.applications.values()].sort((a, b) => b.id.localeCompare(a.id));
    page(
      res,
      'Applications',
      html`<h1>Applications on ${context.nodeId}</h1>${
        apps.length === 0
          ? html`<p class="muted">No applications have run containers here since this NodeManager started.</p>`
          : html`<table><tr><th>Application</th><th>User</th><th>State</th><th>Containers</th></tr>${apps.map(
              (a) => html`<tr><td>${link(`/node/application/${enc(a.id)}`, a.id)}</td><td>${a.user}</td><td>${a.state}</td><td class="num">${a.containerIds.size}</td></tr>`,
            )}</table>`
      }`,
    );
  });

  router.get('/node/application/:appid', (req: Request, res: Response) => {
    const app = context.applications.get(String(req.params.appid));
    if (!app) return notFound(res, 'Application not found', html`<p>This NodeManager has no application ${String(req.params.appid)}.</p>`);
    page(
      res,
      app.id,
      html`<h1>Application ${app.id}</h1>${facts([
        ['User', app.user],
        ['State', app.state],
        ['In the cluster UI', link(`${rm}/#/apps/${enc(app.id)}`, app.id)],
      ])}<h2>Containers</h2>${containerTable([...app.containerIds])}`,
    );
  });

  router.get('/node/allContainers', (_req, res: Response) => {
    page(res, 'Containers', html`<h1>Containers on ${context.nodeId}</h1>${containerTable([...context.containers.keys()])}`);
  });

  const containerTable = (ids: string[]): SafeHtml => {
    const rows = ids.sort().flatMap((id) => {
      const c = context.containers.get(id);
      return c ? [c] : [];
    });
    if (rows.length === 0) return html`<p class="muted">None.</p>`;
    return html`<table><tr><th>Container</th><th>State</th><th>Exit status</th><th>Memory</th><th>Logs</th></tr>${rows.map(
      (c) =>
        html`<tr><td class="mono">${link(`/node/container/${enc(c.id)}`, c.id)}</td><td>${c.state}</td><td class="num">${c.isDone ? String(c.exitStatus) : '–'}</td><td class="num">${c.resource.memory} MB</td><td>${link(
          `/node/containerlogs/${enc(c.id)}/${enc(c.user)}`,
          'logs',
        )}</td></tr>`,
    )}</table>`;
  };

  router.get('/node/container/:containerid', (req: Request, res: Response) => {
    const c = context.containers.get(String(req.params.containerid));
    if (!c) return notFound(res, 'Container not found', html`<p>This NodeManager has no container ${String(req.params.containerid)} (any more).</p>`);
    page(
      res,
      c.id,
      html`<h1>Container ${c.id}</h1>${facts([
        ['Application', link(`/node/application/${enc(c.appId)}`, c.appId)],
        ['User', c.user],
        ['State', c.state],
        ['Exit status', c.isDone ? String(c.exitStatus) : '–'],
        ['Resource', `${c.resource.memory} MB, ${c.resource.vCores} vcores`],
        ['Diagnostics', c.diagnosticsText ? html`<pre>${c.diagnosticsText}</pre>` : '–'],
        ['Logs', link(`/node/containerlogs/${enc(c.id)}/${enc(c.user)}`, 'every log file')],
      ])}`,
    );
  });

  /** The container's files, local or aggregated, or a page saying why there are none. */
  const filesOr404 = (res: Response, containerId: string, user: string): { files: LogFileInfo[]; aggregated: boolean } | undefined => {
    if (!parseContainerId(containerId)) {
      notFound(res, 'Not a container id', html`<p><span class="mono">${containerId}</span> is not a YARN container id.</p>`);
      return undefined;
    }
    const local = logs.local(containerId);
    if (local) return { files: local, aggregated: false };
    const aggregated = logs.aggregated(containerId, user);
    if (aggregated) return { files: aggregated.files, aggregated: true };
    notFound(
      res,
      'Logs not available',
      html`<p>NodeManager ${context.nodeId} has no logs of container <span class="mono">${containerId}</span>: it never ran here, or its logs were
deleted (yarn.nodemanager.log.retain-seconds) and not aggregated. ${link(`${rm}/#/apps`, 'Applications')}</p>`,
    );
    return undefined;
  };

  router.get('/node/containerlogs/:containerid/:user', (req: Request, res: Response) => {
    const containerId = String(req.params.containerid);
    const user = String(req.params.user);
    const found = filesOr404(res, containerId, user);
    if (!found) return;
    const base = `/node/containerlogs/${enc(containerId)}/${enc(user)}`;
    page(
      res,
      `Logs of ${containerId}`,
      html`<h1>Logs of <span class="mono">${containerId}</span></h1>
<p class="muted">${found.aggregated ? 'Aggregated copy (the application has finished and its logs were moved to the remote app log dir).' : `On ${context.nodeId}.`} User ${user}.</p>
${
  found.files.length === 0
    ? html`<p class="muted">The container has written no log files.</p>`
    : html`<table><tr><th>File</th><th>Size</th><th>Modified</th><th></th></tr>${found.files.map(
        (f) =>
          html`<tr><td class="mono">${link(`${base}/${enc(f.fileName)}`, f.fileName)}</td><td class="num">${f.fileSize} bytes</td><td>${new Date(f.lastModifiedTime).toISOString()}</td><td>${link(
            `/ws/v1/node/containerlogs/${enc(containerId)}/${enc(f.fileName)}`,
            'raw',
          )}</td></tr>`,
      )}</table>`
}`,
    );
  });

  router.get('/node/containerlogs/:containerid/:user/:filename', (req: Request, res: Response) => {
    const containerId = String(req.params.containerid);
    const user = String(req.params.user);
    const fileName = String(req.params.filename);
    const found = filesOr404(res, containerId, user);
    if (!found) return;
    const info = found.files.find((f) => f.fileName === fileName);
    const base = `/node/containerlogs/${enc(containerId)}/${enc(user)}`;
    if (!info) return notFound(res, 'Log file not found', html`<p>Container <span class="mono">${containerId}</span> has no file ${fileName}. ${link(base, 'Its files')}</p>`);
    const raw = typeof req.query.start === 'string' ? req.query.start : undefined;
    const start = raw === undefined ? DEFAULT_START : Number(raw);
    if (!Number.isInteger(start)) throw new WeftError('BadRequest', `Invalid start: ${raw}`);
    // start < 0: the last -start bytes; otherwise from `start` to the end.
    const whole = logs.read(containerId, fileName, undefined, user);
    const from = start < 0 ? Math.max(0, whole.length + start) : Math.min(start, whole.length);
    const shown = whole.subarray(from);
    page(
      res,
      `${fileName} · ${containerId}`,
      html`<h1>${fileName}</h1>
<p>${link(base, `All files of ${containerId}`)} · ${link(`/ws/v1/node/containerlogs/${enc(containerId)}/${enc(fileName)}`, 'raw')}</p>
<p class="muted">${
        from > 0
          ? html`Showing the last ${shown.length} of ${info.fileSize} bytes. ${link(`${base}/${enc(fileName)}?start=0`, 'Show the whole file')}.`
          : `${whole.length} bytes.`
      }</p>
<pre>${shown.toString('utf8')}</pre>`,
    );
  });
  return router;
}
