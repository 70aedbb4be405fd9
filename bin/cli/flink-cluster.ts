import { YarnClusterDescriptor } from '../../am/flink/yarn-cluster-descriptor.ts';
import type { CliContext } from './cli-context.ts';

/** The CLI's YarnClusterDescriptor: its RM client and user; deployment progress on stderr unless --json. */
export function clusterDescriptor(ctx: CliContext): YarnClusterDescriptor {
  return new YarnClusterDescriptor({ rm: ctx.rm, rmUrl: ctx.rmUrl, user: ctx.user, clock: ctx.clock, progress: ctx.json ? () => {} : ctx.err });
}
