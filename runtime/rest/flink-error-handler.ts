import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { WeftError } from '../../rm/common/errors.ts';
import { UploadTooLargeError } from './job-file-upload.ts';

/** Flink's REST error body: `{"errors": ["..."]}` with the error's HTTP status. */
export interface FlinkErrorBody {
  errors: string[];
}

/** Error middleware for the Flink REST router: WeftErrors keep their status; anything else is a logged 500. */
export function flinkErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let status: number;
    let message: string;
    if (err instanceof WeftError) {
      status = err.status;
      message = err.message;
    } else if (err instanceof UploadTooLargeError) {
      status = err.status;
      message = err.message;
    } else if (err instanceof SyntaxError && 'body' in err) {
      status = 400;
      message = `Request did not match expected format: ${err.message}`;
    } else if (typeof err === 'object' && err !== null && 'type' in err && err.type === 'entity.too.large') {
      status = 413;
      message = 'Request body too large';
    } else {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error in Flink REST request');
      status = 500;
      message = `Internal server error: ${err instanceof Error ? err.message : String(err)}`;
    }
    const body: FlinkErrorBody = { errors: [message] };
    res.status(status).json(body);
  };
}
