/**
 * Structured JSON logs (pino) for the worker, also carrying the Temporal SDK's own log lines and the
 * activities' `log` calls with their workflow and activity ids. Secrets are never logged: nothing logs
 * the config's secrets, and the redaction below is a second guard.
 */
import pino from 'pino';
import { DefaultLogger, type LogLevel } from '@temporalio/worker';

export type Logger = pino.Logger;

export function createLogger(level: pino.Level = 'info'): Logger {
  return pino({
    level,
    base: { service: 'sqlserver-snowflake-migrator' },
    redact: {
      paths: ['password', '*.password', 'privateKey', '*.privateKey', 'apiKey', '*.apiKey'],
      censor: '[secret]',
    },
  });
}

const SDK_LEVELS: Record<LogLevel, pino.Level> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** A Temporal Runtime logger that writes through pino. */
export function temporalLogger(logger: Logger, level: LogLevel = 'INFO'): DefaultLogger {
  return new DefaultLogger(level, (entry) =>
    logger[SDK_LEVELS[entry.level]](entry.meta ?? {}, entry.message),
  );
}
