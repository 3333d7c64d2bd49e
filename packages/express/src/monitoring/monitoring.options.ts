import { defineOptionKeys, rejectUnknownOptions, type Alert, type MonitoringOptions } from '@privacy-kit/core';
import { expressError } from '../errors';

/** Where alerts go besides the audit log (every alert is an audit record too). */
export interface MonitoringWebhook {
  /** An http(s) URL; alerts are POSTed as JSON (`{ alert }`). */
  readonly url: string;
  /** Per attempt, in ms. Default 5,000. */
  readonly timeoutMs?: number;
  /** Attempts after the first one failed (a network error, a timeout, a 5xx or 429). Default 3, with backoff. */
  readonly retries?: number;
  /** Extra headers, e.g. an authorization token of the receiver. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A logger alerts are written to: the app's own (winston, pino, console). */
export interface MonitoringLogger {
  warn(message: string, meta?: unknown): unknown;
}

/** `privacy({ monitoring })`: rules over the audit stream, evaluated off the request path, and where alerts go. */
export interface PrivacyMonitoringOptions {
  /** The rules' thresholds and windows, or `false` per rule (see `MonitoringOptions` of @privacy-kit/core). */
  readonly rules?: MonitoringOptions;
  /** Called with every alert. A callback that throws or rejects is reported through `onError`, never the request. */
  readonly onAlert?: (alert: Alert) => unknown;
  /** POSTs every alert as JSON, with a timeout and retries. */
  readonly webhook?: MonitoringWebhook;
  /** Writes every alert with `warn` (a line that explains itself; never a real identifier). */
  readonly logger?: MonitoringLogger;
}

/** {@link PrivacyMonitoringOptions} with its defaults. */
export interface ResolvedMonitoringOptions {
  readonly rules: MonitoringOptions;
  readonly onAlert: ((alert: Alert) => unknown) | undefined;
  readonly webhook: { readonly url: URL; readonly timeoutMs: number; readonly retries: number; readonly headers: Readonly<Record<string, string>> } | undefined;
  readonly logger: MonitoringLogger | undefined;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;
export const DEFAULT_WEBHOOK_RETRIES = 3;

const KEYS = defineOptionKeys<PrivacyMonitoringOptions>({ rules: true, onAlert: true, webhook: true, logger: true });
const WEBHOOK_KEYS = defineOptionKeys<MonitoringWebhook>({ url: true, timeoutMs: true, retries: true, headers: true });

function invalid(problem: string): Error {
  return expressError('PK_INVALID_OPTION', `privacy({ monitoring }): ${problem}`);
}

function webhookOf(value: MonitoringWebhook | undefined): ResolvedMonitoringOptions['webhook'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw invalid("'webhook' must be { url, timeoutMs?, retries?, headers? }.");
  rejectUnknownOptions(value, WEBHOOK_KEYS, 'privacy({ monitoring: { webhook } })', expressError);
  let url: URL;
  try {
    url = new URL(value.url);
  } catch {
    throw invalid("'webhook.url' must be an http(s) URL such as https://alerts.example/privacy-kit.");
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid("'webhook.url' must be an http(s) URL such as https://alerts.example/privacy-kit.");
  const timeoutMs = value.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) throw invalid(`'webhook.timeoutMs' must be a whole number of ms from 1 to 60000; got ${JSON.stringify(value.timeoutMs)}.`);
  const retries = value.retries ?? DEFAULT_WEBHOOK_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw invalid(`'webhook.retries' must be a whole number from 0 to 10; got ${JSON.stringify(value.retries)}.`);
  const headers = value.headers ?? {};
  if (typeof headers !== 'object' || headers === null || Object.values(headers).some((h) => typeof h !== 'string')) throw invalid("'webhook.headers' must be an object of strings.");
  return { url, timeoutMs, retries, headers };
}

/**
 * Checks `privacy({ monitoring })`: undefined or false leaves monitoring off; true turns it on with the defaults.
 *
 * @param value - as the app passed it
 */
export function resolveMonitoringOptions(value: boolean | PrivacyMonitoringOptions | undefined): ResolvedMonitoringOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { rules: {}, onAlert: undefined, webhook: undefined, logger: undefined };
  if (typeof value !== 'object' || value === null) throw invalid('takes true, false or { rules?, onAlert?, webhook?, logger? }.');
  rejectUnknownOptions(value, KEYS, 'privacy({ monitoring })', expressError);
  if (value.onAlert !== undefined && typeof value.onAlert !== 'function') throw invalid("'onAlert' must be a function (alert) => void.");
  if (value.logger !== undefined && (typeof value.logger !== 'object' || value.logger === null || typeof value.logger.warn !== 'function')) {
    throw invalid("'logger' must have a warn(message, meta) method (winston, pino, console).");
  }
  if (value.rules !== undefined && (typeof value.rules !== 'object' || value.rules === null)) throw invalid("'rules' must be an object of rule options, e.g. { massAccess: { threshold: 100 } }.");
  return { rules: value.rules ?? {}, onAlert: value.onAlert, webhook: webhookOf(value.webhook), logger: value.logger };
}
