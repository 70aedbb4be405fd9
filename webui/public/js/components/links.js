import { h } from '../dom.js';
import { href } from '../router.js';

/**
 * An NM's web address as a base URL: the RM lists it as `host:port` for attempts and as
 * `http://host:port` for containers.
 * @param {string} nodeHttpAddress
 */
export function nmBase(nodeHttpAddress) {
  if (!nodeHttpAddress) return '';
  return /^https?:\/\//.test(nodeHttpAddress) ? nodeHttpAddress.replace(/\/$/, '') : `http://${nodeHttpAddress}`;
}

/**
 * The NM's raw log URL for one of a container's files.
 * @param {string} nodeHttpAddress
 * @param {string} containerId
 * @param {string} file
 */
export function nmLogUrl(nodeHttpAddress, containerId, file) {
  return `${nmBase(nodeHttpAddress)}/ws/v1/node/containerlogs/${encodeURIComponent(containerId)}/${encodeURIComponent(file)}`;
}

/**
 * Log links: every file of the container (the log page lists them all), and stdout/stderr each
 * with the in-UI follower page and the NM's raw file.
 * @param {string} nodeHttpAddress
 * @param {string} containerId
 */
export function logLinks(nodeHttpAddress, containerId) {
  if (!nodeHttpAddress) return h('a', { href: href(['logs', containerId]), title: 'Every log file of this container (aggregated copy)' }, 'logs');
  return h(
    'span',
    { class: 'log-links' },
    h('span', { class: 'log-link' }, h('a', { href: href(['logs', containerId], { nm: nmBase(nodeHttpAddress) }), title: 'Every log file of this container', 'data-testid': 'all-logs' }, 'all')),
    ['stdout', 'stderr'].map((file) =>
      h(
        'span',
        { class: 'log-link' },
        h('a', { href: href(['logs', containerId, file], { nm: nmBase(nodeHttpAddress) }), title: `Follow ${file}` }, file),
        h('a', { href: nmLogUrl(nodeHttpAddress, containerId, file), class: 'raw', title: `${file} straight from the NodeManager`, target: '_blank', rel: 'noopener' }, '↗'),
      ),
    ),
  );
}

/**
 * @param {string} appId
 */
export function appLink(appId) {
  return h('a', { href: href(['apps', appId]), class: 'mono' }, appId);
}

/**
 * @param {string} nodeId
 */
export function nodeLink(nodeId) {
  return h('a', { href: href(['nodes', nodeId]), class: 'mono' }, nodeId);
}
