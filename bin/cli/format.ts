import type { AppInfo, NodeInfo } from '../../rm/protocol/client-rm.ts';

/**
 * Output formats of the `yarn` CLI (reference/yarn.md §8: ApplicationCLI, NodeCLI, QueueCLI),
 * reproduced so scripts that parse `yarn` output parse `weft` output too.
 */

/** Java's `%Ns`: right-aligned in N columns, never truncated. */
export const padLeft = (value: string, width: number): string => value.padStart(width);

/** Java `printf` with only `%Ns` conversions separated by tabs, as the yarn CLI patterns are. */
export function printfColumns(widths: readonly number[], values: readonly string[]): string {
  return values.map((v, i) => padLeft(v, widths[i] ?? 0)).join('\t');
}

/** Java DecimalFormat with `pattern` digits after the point: up to `max`, at least `min`, HALF_EVEN. */
function decimal(value: number, minFraction: number, maxFraction: number, integerRequired: boolean): string {
  const factor = 10 ** maxFraction;
  const scaled = value * factor;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  // HALF_EVEN, with a tolerance for binary fractions such as 0.125 * 100.
  const rounded = Math.abs(diff - 0.5) < 1e-9 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(scaled);
  let [int, frac = ''] = (rounded / factor).toFixed(maxFraction).split('.') as [string, string?];
  frac = frac.replace(/0+$/, '');
  while (frac.length < minFraction) frac += '0';
  if (!integerRequired && int === '0') int = '';
  return frac.length > 0 ? `${int}.${frac}` : int;
}

/** `new DecimalFormat("###.##%").format(fraction)` as ApplicationCLI prints progress (REST gives 0..100). */
export const formatProgress = (percent: number): string => `${decimal(percent, 0, 2, true)}%`;

/** `new DecimalFormat("#.00").format(percent) + "%"` as QueueCLI prints capacities ("100.00%", ".00%"). */
export const formatCapacity = (percent: number): string => `${decimal(percent, 2, 2, false)}%`;

export const DEFAULT_APP_STATES = ['SUBMITTED', 'ACCEPTED', 'RUNNING'] as const;
/** YarnApplicationState in enum order; Java prints an EnumSet in this order. */
export const ALL_APP_STATES = ['NEW', 'NEW_SAVING', 'SUBMITTED', 'ACCEPTED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'] as const;

const APPLICATION_WIDTHS = [30, 20, 20, 10, 10, 18, 18, 15, 35] as const;

export function formatApplicationList(apps: readonly AppInfo[], states: readonly string[], types: readonly string[] = [], tags: readonly string[] = []): string {
  const lines = [
    `Total number of applications (application-types: [${types.join(', ')}], states: [${states.join(', ')}] and tags: [${tags.join(', ')}]):${apps.length}`,
    printfColumns(APPLICATION_WIDTHS, ['Application-Id', 'Application-Name', 'Application-Type', 'User', 'Queue', 'State', 'Final-State', 'Progress', 'Tracking-URL']),
    ...apps.map((a) =>
      printfColumns(APPLICATION_WIDTHS, [a.id, a.name, a.applicationType, a.user, a.queue, a.state, a.finalStatus, formatProgress(a.progress), a.trackingUrl ?? 'N/A']),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

const NODE_WIDTHS = [16, 15, 17, 28] as const;

export function formatNodeList(nodes: readonly NodeInfo[]): string {
  const lines = [
    `Total Nodes:${nodes.length}`,
    printfColumns(NODE_WIDTHS, ['Node-Id', 'Node-State', 'Node-Http-Address', 'Number-of-Running-Containers']),
    ...nodes.map((n) => printfColumns(NODE_WIDTHS, [n.id, n.state, n.nodeHTTPAddress, String(n.numContainers)])),
  ];
  return `${lines.join('\n')}\n`;
}

/** ApplicationCLI.printApplicationReport. */
export function formatApplicationReport(a: AppInfo): string {
  const amHost = a.amHostHttpAddress ? (a.amHostHttpAddress.split(':')[0] ?? 'N/A') : 'N/A';
  const rpcPort = a.amRPCAddress ? (a.amRPCAddress.split(':').at(-1) ?? '-1') : '-1';
  const timeout = a.timeouts?.timeout?.[0];
  const rows: [string, string][] = [
    ['Application-Id', a.id],
    ['Application-Name', a.name],
    ['Application-Type', a.applicationType],
    ['User', a.user],
    ['Queue', a.queue],
    ['Application Priority', String(a.priority)],
    ['Start-Time', String(a.startedTime)],
    ['Finish-Time', String(a.finishedTime)],
    ['Progress', formatProgress(a.progress)],
    ['State', a.state],
    ['Final-State', a.finalStatus],
    ['Tracking-URL', a.trackingUrl ?? 'N/A'],
    ['RPC Port', rpcPort],
    ['AM Host', amHost],
    ['Aggregate Resource Allocation', `${a.memorySeconds} MB-seconds, ${a.vcoreSeconds} vcore-seconds`],
    ['Aggregate Resource Preempted', `${a.preemptedMemorySeconds} MB-seconds, ${a.preemptedVcoreSeconds} vcore-seconds`],
    ['Log Aggregation Status', a.logAggregationStatus],
    ['Diagnostics', a.diagnostics],
    ['Unmanaged Application', String(a.unmanagedApplication)],
    ['Application Node Label Expression', '<Not set>'],
    ['AM container Node Label Expression', a.amNodeLabelExpression || '<DEFAULT_PARTITION>'],
  ];
  const lines = ['Application Report : ', ...rows.map(([k, v]) => `\t${k} : ${v}`)];
  if (timeout) lines.push(`\tTimeoutType : ${timeout.type}\tExpiryTime : ${timeout.expiryTime}\tRemainingTime : ${timeout.remainingTimeInSeconds}seconds`);
  return `${lines.join('\n')}\n`;
}

export interface QueueReport {
  readonly queueName: string;
  readonly state: string;
  /** Percent of the parent. */
  readonly capacity: number;
  /** Used percent of the queue's capacity. */
  readonly usedCapacity: number;
  readonly maxCapacity: number;
  readonly preemptionDisabled?: boolean;
  /** A CapacityScheduler leaf's AM figures (AMResourceLimit, usedAMResource, configuredMaxAMResourceLimit). */
  readonly am?: { readonly limit: ResourceFigure; readonly used: ResourceFigure; readonly configuredPercent: number };
}

export interface ResourceFigure {
  readonly memory: number;
  readonly vCores: number;
}

const resource = (r: ResourceFigure): string => `<memory:${r.memory}, vCores:${r.vCores}>`;

/** QueueCLI.printQueueInfo. */
export function formatQueueReport(q: QueueReport): string {
  const preemption = q.preemptionDisabled === false ? 'enabled' : 'disabled';
  return [
    'Queue Information : ',
    `Queue Name : ${q.queueName}`,
    `\tState : ${q.state}`,
    `\tCapacity : ${formatCapacity(q.capacity)}`,
    `\tCurrent Capacity : ${formatCapacity(q.usedCapacity)}`,
    `\tMaximum Capacity : ${formatCapacity(q.maxCapacity)}`,
    // The AM limit as the RM web UI's queue page names it: what keeps further apps ACCEPTED.
    ...(q.am
      ? [
          `\tConfigured Max Application Master Limit : ${formatCapacity(q.am.configuredPercent)}`,
          `\tMax Application Master Resources : ${resource(q.am.limit)}`,
          `\tUsed Application Master Resources : ${resource(q.am.used)}`,
        ]
      : []),
    `\tDefault Node Label expression : <DEFAULT_PARTITION>`,
    `\tAccessible Node Labels : *`,
    `\tPreemption : ${preemption}`,
    `\tIntra-queue Preemption : ${preemption}`,
    '',
  ].join('\n');
}

/** One log file of one container, headed and footed like `yarn logs` prints it. */
export function formatContainerHeader(containerId: string, nodeId: string, type: 'LOCAL' | 'AGGREGATED'): string {
  const head = `Container: ${containerId} on ${nodeId}`;
  return `${head}\nLogAggregationType: ${type}\n${'='.repeat(head.length)}\n`;
}

export function formatLogFile(logType: string, content: string): string {
  const end = `End of LogType:${logType}`;
  const body = content.length === 0 || content.endsWith('\n') ? content : `${content}\n`;
  return `LogType:${logType}\nLogLength:${Buffer.byteLength(content)}\nLogContents:\n${body}${end}\n${'*'.repeat(end.length + 50)}\n\n`;
}
