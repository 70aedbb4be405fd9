import { facts, html, link, type HtmlDocument, type SafeHtml } from '../common/html-page.ts';
import type { RmApp } from '../app/rm-app.ts';

/**
 * What the web proxy shows a browser when there is no application UI to forward to (YARN's
 * WebAppProxyServlet answers such requests with a page too): the application is unknown, has
 * not registered its UI yet, or has finished without naming a history URL.
 */
const header = (rmAddress: string): SafeHtml => html`<b>weft · YARN</b>${link(`${rmAddress}/#/apps`, 'Applications')}${link(`${rmAddress}/`, 'Cluster')}`;

const FLINK = 'Apache Flink';

export function unknownAppPage(rmAddress: string, appId: string): HtmlDocument {
  return {
    title: `${appId} not found`,
    header: header(rmAddress),
    body: html`<h1>Application ${appId} could not be found</h1>
<p>The ResourceManager does not know this application: the id may be mistyped, or it ended long enough ago to be
dropped (yarn.resourcemanager.max-completed-applications).</p>
<p>${link(`${rmAddress}/#/apps`, 'All applications')}</p>`,
  };
}

export function notRegisteredPage(rmAddress: string, app: RmApp): HtmlDocument {
  return {
    title: `${app.appId} · ${app.publicState}`,
    header: header(rmAddress),
    body: html`<h1>${app.context.applicationName} has no web UI yet</h1>
<p>Application <span class="mono">${app.appId}</span> is <b>${app.publicState}</b>: its ApplicationMaster has not
registered a tracking URL yet. Reload this page once it runs.</p>
${app.waitingDiagnostics ? html`<p class="muted">${app.waitingDiagnostics}</p>` : ''}
<p>${link(`${rmAddress}/#/apps/${encodeURIComponent(app.appId)}`, 'Application page')}</p>`,
  };
}

export function finishedAppPage(rmAddress: string, app: RmApp): HtmlDocument {
  const appPage = `${rmAddress}/#/apps/${encodeURIComponent(app.appId)}`;
  const flink = app.context.applicationType === FLINK;
  return {
    title: `${app.appId} · ${app.publicState}`,
    header: header(rmAddress),
    body: html`<h1>${app.context.applicationName} has finished</h1>
<p>Its ApplicationMaster's web UI ended with it, and it named no history URL to send you to.</p>
${facts([
  ['Application', html`<span class="mono">${app.appId}</span>`],
  ['Type', app.context.applicationType],
  ['State', app.publicState],
  ['Final status', html`<b class="${app.finalStatus === 'SUCCEEDED' ? '' : 'bad'}">${app.finalStatus}</b>`],
  ['Finished', app.finishTime > 0 ? new Date(app.finishTime).toISOString() : '–'],
  ['Diagnostics', app.diagnostics ? html`<pre>${app.diagnostics}</pre>` : '–'],
])}
${
  flink
    ? html`<h2>Flink</h2><p>A Flink JobManager sends finished applications to its history server when one is configured:
start one with <code>weft history start</code> and give the jobs <code>jobmanager.archive.fs.dir</code>,
<code>historyserver.web.address</code> and <code>historyserver.web.port</code> (a <code>weft cluster start</code> cluster does both).</p>`
    : ''
}
<h2>Logs</h2><p>Every container's logs are listed on the ${link(appPage, 'application page')}, and printed by
<code>weft logs ${app.appId}</code>.</p>`,
  };
}
