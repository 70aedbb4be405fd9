import type { FlinkConfiguration } from '../config/flink-configuration.ts';

/**
 * HistoryServerUtils.getHistoryServerURL: `http://<historyserver.web.address>:<historyserver.web.port>`
 * when the address is configured, else undefined. A finished Flink application hands it to YARN
 * as its final tracking URL, so the RM's proxy sends its users there.
 */
export function historyServerUrl(config: FlinkConfiguration): string | undefined {
  const address = config['historyserver.web.address'];
  if (address === undefined) return undefined;
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `http://${host}:${config['historyserver.web.port']}`;
}
