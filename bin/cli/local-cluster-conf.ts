/**
 * What `weft cluster start` (and so `npm start`) sets on its ResourceManager beyond YARN's
 * defaults, so that a Flink session, a per-job cluster and a DistributedShell run side by side
 * on one laptop. A standalone `weft rm start` keeps YARN's defaults. Each is a plain YARN
 * property: `--conf key=value` on `weft cluster start` overrides it.
 *
 * The reasoning follows Flink's own YARN tests (flink-yarn-tests YarnTestBase): they shrink
 * `yarn.scheduler.minimum-allocation-mb` (to 32) so small containers are not rounded up to 1 GB,
 * and set `yarn.scheduler.maximum-allocation-mb` to what a NodeManager has ("4096 is the
 * available memory anyways"), so a container that no node can hold is refused at once. With
 * YARN's 10 % AM share of the default 16 GB, one 1600 MB JobManager fills the queue's AM limit
 * and every further application (even a 256 MB DistributedShell AM) waits in ACCEPTED; half of
 * the cluster for AMs leaves the other half for TaskManagers and containers.
 */
export function localClusterConf(node: { readonly memoryMb: number; readonly vcores: number }): [key: string, value: string][] {
  return [
    ['yarn.scheduler.minimum-allocation-mb', String(Math.min(32, node.memoryMb))],
    ['yarn.scheduler.maximum-allocation-mb', String(node.memoryMb)],
    ['yarn.scheduler.maximum-allocation-vcores', String(node.vcores)],
    ['yarn.scheduler.capacity.maximum-am-resource-percent', '0.5'],
  ];
}

/** The local defaults first, then the user's `--conf` pairs, which win (the RM keeps the last value of a key). */
export function withLocalClusterConf(local: readonly (readonly [string, string])[], userConf: readonly string[]): string[] {
  return [...local.flatMap(([k, v]) => ['--conf', `${k}=${v}`]), ...userConf];
}

/** The local settings in effect once the user's `--conf key=value` pairs are applied. */
export function effectiveLocalClusterConf(local: readonly (readonly [string, string])[], userConf: readonly string[]): Map<string, string> {
  const effective = new Map<string, string>(local);
  for (const kv of userConf) {
    const i = kv.indexOf('=');
    if (i > 0 && effective.has(kv.slice(0, i).trim())) effective.set(kv.slice(0, i).trim(), kv.slice(i + 1).trim());
  }
  return effective;
}

/** One line for the start banner. */
export function describeLocalClusterConf(effective: ReadonlyMap<string, string>): string {
  return `Scheduler: ${[...effective].map(([k, v]) => `${k}=${v}`).join(', ')} (local cluster defaults; change with --conf key=value)`;
}
