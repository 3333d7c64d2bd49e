import winston from 'winston';
import { redactPii } from '@privacy-kit/winston';

/**
 * The app's log format: personal data is redacted (structured fields, @PersonalData classes and free text such
 * as e-mail addresses and IPs) before the JSON formatter, so no transport ever sees it.
 */
export function shopLogFormat(): winston.Logform.Format {
  return winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), redactPii(), winston.format.json());
}

/** The app's logger: redacted JSON lines on stdout. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): winston.Logger {
  return winston.createLogger({
    level,
    defaultMeta: { service: 'shop' },
    format: shopLogFormat(),
    transports: [new winston.transports.Console()],
  });
}
