import { readFileSync } from 'node:fs';
import { applicationIdOfContainer, attemptIdOfContainer } from '../rm/protocol/ids.ts';
import { AMRM_TOKEN_ALIAS, Credentials } from '../rm/protocol/tokens.ts';

/** Who this AM is and how it reaches the RM, as the NM told it through the container environment. */
export interface ApplicationMasterContext {
  readonly containerId: string;
  readonly applicationAttemptId: string;
  readonly applicationId: string;
  readonly rmUrl: string;
  readonly amrmToken: string;
  readonly nmHost: string;
  readonly nmHttpPort: number | undefined;
  readonly logDirs: readonly string[];
  readonly appSubmitTime: number | undefined;
  readonly maxAppAttempts: number | undefined;
  readonly webProxyBase: string | undefined;
}

/** Thrown when the process was not started by a NodeManager as an AM container. */
export class NotInContainerError extends Error {
  constructor(message: string) {
    super(`${message} — an ApplicationMaster runs inside an AM container started by a NodeManager (submit it with \`weft dshell\` or the REST API)`);
    this.name = 'NotInContainerError';
  }
}

export function readApplicationMasterContext(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): ApplicationMasterContext {
  const containerId = env.CONTAINER_ID;
  if (!containerId) throw new NotInContainerError('CONTAINER_ID is not set');
  const applicationAttemptId = attemptIdOfContainer(containerId);
  const applicationId = applicationIdOfContainer(containerId);
  if (!applicationAttemptId || !applicationId) throw new NotInContainerError(`CONTAINER_ID "${containerId}" is not a container id`);
  const rmUrl = env.WEFT_RM_ADDRESS;
  if (!rmUrl) throw new NotInContainerError('WEFT_RM_ADDRESS is not set');
  const tokenFile = env.HADOOP_TOKEN_FILE_LOCATION;
  if (!tokenFile) throw new NotInContainerError('HADOOP_TOKEN_FILE_LOCATION is not set');
  let credentials: Credentials;
  try {
    credentials = Credentials.parse(JSON.parse(readFile(tokenFile)));
  } catch (err) {
    throw new NotInContainerError(`cannot read the token file ${tokenFile}: ${(err as Error).message}`);
  }
  const amrmToken = credentials.tokens[AMRM_TOKEN_ALIAS];
  if (!amrmToken) throw new NotInContainerError(`the token file ${tokenFile} holds no ${AMRM_TOKEN_ALIAS}`);
  return {
    containerId,
    applicationAttemptId,
    applicationId,
    rmUrl: rmUrl.replace(/\/+$/, ''),
    amrmToken,
    nmHost: env.NM_HOST ?? 'localhost',
    nmHttpPort: optionalInt(env.NM_HTTP_PORT),
    logDirs: (env.LOG_DIRS ?? '').split(',').filter(Boolean),
    appSubmitTime: optionalInt(env.APP_SUBMIT_TIME_ENV),
    maxAppAttempts: optionalInt(env.MAX_APP_ATTEMPTS),
    webProxyBase: env.APPLICATION_WEB_PROXY_BASE,
  };
}

function optionalInt(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
