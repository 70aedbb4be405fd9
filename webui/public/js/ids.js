/**
 * YARN id arithmetic (reference/yarn.md §0), to tell which application a pushed change is about.
 * `application_<ts>_<seq>`, `appattempt_<ts>_<seq>_<n>`, `container_[e<epoch>_]<ts>_<seq>_<attempt>_<n>`.
 */

/**
 * @param {string} id an application, attempt or container id
 * @returns {string | undefined} the application id it belongs to
 */
export function appIdOf(id) {
  let m = /^application_(\d+)_(\d+)$/.exec(id);
  if (m) return id;
  m = /^appattempt_(\d+)_(\d+)_\d+$/.exec(id);
  if (m) return `application_${m[1]}_${m[2]}`;
  m = /^container_(?:e\d+_)?(\d+)_(\d+)_\d+_\d+$/.exec(id);
  if (m) return `application_${m[1]}_${m[2]}`;
  return undefined;
}

/**
 * The short, distinguishing tail of a container id: `01_000002` (attempt, number).
 * @param {string} containerId
 */
export function shortContainerId(containerId) {
  const m = /_(\d+_\d+)$/.exec(containerId);
  return m ? m[1] : containerId;
}
