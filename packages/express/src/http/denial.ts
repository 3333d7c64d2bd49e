import type { Request, Response } from 'express';
import type { HttpErrorBody, HttpErrorCode } from './json-error';

/**
 * A refusal privacy-kit decided for an annotated route, as handed to `privacy({ onDenied })`: the status and the
 * `error` code of its default JSON answer, with the `reason` of a 401 and the `purpose` of a `consent_required`.
 * Never a personal value.
 */
export interface Denial {
  /** 401, 403, 400, 500 or 503. */
  readonly status: number;
  readonly error: HttpErrorCode;
  /** Why the caller could not be identified (401), e.g. 'token_expired'. */
  readonly reason?: string;
  /** The purpose consent is missing for (403 `consent_required`). */
  readonly purpose?: string;
}

/**
 * Sends a refusal in the app's own shape (like express-rate-limit's `handler`). It must send a response; one that
 * throws or sends nothing gets the default JSON body instead, and `onError` is told. The audit record is written
 * before it runs and is the same whatever it sends.
 *
 * @example
 * onDenied: (req, res, denial) => res.status(denial.status).json({ message: 'Not allowed', code: denial.error })
 */
export type DenialHandler = (req: Request, res: Response, denial: Denial) => void | Promise<void>;

/**
 * The denial a JSON error body stands for.
 *
 * @param status - the HTTP status privacy-kit decided
 * @param body - the default body
 */
export function denialOf(status: number, body: HttpErrorBody): Denial {
  const { reason, purpose } = body;
  return {
    status,
    error: body.error,
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof purpose === 'string' ? { purpose } : {}),
  };
}
