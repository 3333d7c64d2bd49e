import type { Request, RequestHandler, Response } from 'express';
import { getRequestContext } from '../context/request-context';
import { expressError } from '../errors';

/** The route of a request no route answered (a 404, a static file, middleware only): never its raw path. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** One line of the request log: what a request was, by its route pattern, never by its raw path. */
export interface RequestLogLine {
  readonly method: string;
  /**
   * The pattern of the route that answered, mount paths included (`/users/:id`, not `/users/user-2`), or
   * {@link UNMATCHED_ROUTE}. Path parameters and query strings hold identifiers and search terms: they are
   * never logged.
   */
  readonly route: string;
  readonly status: number;
  /** From the moment the middleware saw the request to the end of the response, in ms (0.1 ms precision). */
  readonly durationMs: number;
  /** privacy-kit's id of the request, as in its audit records; absent when `privacy()` did not see it. */
  readonly requestId?: string;
  /** The client went away before the response was complete. */
  readonly aborted?: true;
}

/** Receives each line, e.g. `(line) => logger.info(line, 'request')` for pino or `logger.info('request', line)` for winston. */
export type RequestLogWriter = (line: RequestLogLine) => void;

/**
 * The request-logging middleware of a kit (`kit.logRequests(write)`): one line per request, written when the
 * response ends, naming the route by its pattern.
 *
 * @param patternOf - the route pattern of a request, undefined when no route matched
 * @param write - the app's writer
 * @param report - told when the writer throws (the request is never affected)
 */
export function requestLogger(patternOf: (req: Request) => string | undefined, write: RequestLogWriter, report: (error: unknown, what: string) => void): RequestHandler {
  if (typeof write !== 'function') {
    throw expressError('PK_INVALID_OPTION', `logRequests(write) needs a function that receives each line, e.g. kit.logRequests((line) => logger.info('request', line)); got ${typeof write}.`);
  }
  return function privacyKitRequestLog(req: Request, res: Response, next: (error?: unknown) => void): void {
    const start = performance.now();
    let written = false;
    const done = (): void => {
      if (written) return;
      written = true;
      res.removeListener('finish', done);
      res.removeListener('close', done);
      const requestId = getRequestContext(req)?.requestId;
      const line: { -readonly [K in keyof RequestLogLine]: RequestLogLine[K] } = {
        method: req.method,
        route: patternOf(req) ?? UNMATCHED_ROUTE,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - start) * 10) / 10,
      };
      if (requestId !== undefined) line.requestId = requestId;
      if (!res.writableFinished) line.aborted = true;
      try {
        write(line);
      } catch (error) {
        report(error, 'writing the request log line');
      }
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
