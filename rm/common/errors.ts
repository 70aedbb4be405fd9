/**
 * weft's small error taxonomy. Each error carries a stable `exception` name and the Java class
 * name YARN would report, so REST callers see the same `RemoteException` bodies as on Hadoop,
 * and one table below maps them to HTTP status codes (after Hadoop's GenericExceptionHandler).
 */
export const ErrorKind = {
  NotFound: { exception: 'NotFoundException', javaClassName: 'org.apache.hadoop.yarn.webapp.NotFoundException', status: 404 },
  BadRequest: { exception: 'BadRequestException', javaClassName: 'org.apache.hadoop.yarn.webapp.BadRequestException', status: 400 },
  Forbidden: { exception: 'ForbiddenException', javaClassName: 'org.apache.hadoop.yarn.webapp.ForbiddenException', status: 403 },
  Authorization: { exception: 'AuthorizationException', javaClassName: 'org.apache.hadoop.security.authorize.AuthorizationException', status: 401 },
  InvalidResourceRequest: { exception: 'InvalidResourceRequestException', javaClassName: 'org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException', status: 400 },
  InvalidApplicationMasterRequest: { exception: 'InvalidApplicationMasterRequestException', javaClassName: 'org.apache.hadoop.yarn.exceptions.InvalidApplicationMasterRequestException', status: 400 },
  ApplicationMasterNotRegistered: { exception: 'ApplicationMasterNotRegisteredException', javaClassName: 'org.apache.hadoop.yarn.exceptions.ApplicationMasterNotRegisteredException', status: 409 },
  InvalidToken: { exception: 'InvalidToken', javaClassName: 'org.apache.hadoop.security.token.SecretManager$InvalidToken', status: 401 },
  InvalidStateTransition: { exception: 'InvalidStateTransitionException', javaClassName: 'org.apache.hadoop.yarn.state.InvalidStateTransitionException', status: 500 },
  IllegalState: { exception: 'IllegalStateException', javaClassName: 'java.lang.IllegalStateException', status: 409 },
  Yarn: { exception: 'YarnException', javaClassName: 'org.apache.hadoop.yarn.exceptions.YarnException', status: 500 },
  ServiceUnavailable: { exception: 'ServiceUnavailableException', javaClassName: 'org.apache.hadoop.ipc.StandbyException', status: 503 },
} as const;
export type ErrorKind = keyof typeof ErrorKind;

export class WeftError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
    this.name = ErrorKind[kind].exception;
  }

  get status(): number {
    return ErrorKind[this.kind].status;
  }

  get exception(): string {
    return ErrorKind[this.kind].exception;
  }

  get javaClassName(): string {
    return ErrorKind[this.kind].javaClassName;
  }
}

export const notFound = (message: string): WeftError => new WeftError('NotFound', message);
export const badRequest = (message: string): WeftError => new WeftError('BadRequest', message);

/** The body every YARN endpoint answers an error with. */
export interface RemoteExceptionBody {
  RemoteException: { exception: string; message: string; javaClassName: string };
}

export function toRemoteException(err: WeftError): RemoteExceptionBody {
  return { RemoteException: { exception: err.exception, message: err.message, javaClassName: err.javaClassName } };
}

/** Turns a RemoteException body received over HTTP back into a typed error on the client side. */
export function fromRemoteException(status: number, body: unknown): WeftError {
  const remote = (body as Partial<RemoteExceptionBody> | undefined)?.RemoteException;
  const kind = (Object.keys(ErrorKind) as ErrorKind[]).find((k) => ErrorKind[k].exception === remote?.exception);
  const message = remote?.message ?? `HTTP ${status}`;
  return new WeftError(kind ?? (status === 404 ? 'NotFound' : status === 400 ? 'BadRequest' : 'Yarn'), message);
}
