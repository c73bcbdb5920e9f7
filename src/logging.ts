/**
 * Structured JSON logs (pino) for the worker, also carrying the Temporal SDK's own log lines and the
 * activities' `log` calls with their workflow and activity ids. Secrets are never logged: nothing logs
 * the config's secrets, and the redaction below is a second guard.
 */
import pino from 'pino';
import { DefaultLogger, type LogLevel } from '@temporalio/worker';

export type Logger = pino.Logger;

/**
 * pino's error serializer, except that a failure's own `type` (an ApplicationFailure's
 * `ValueTooLong`) wins over its class name, which stays in `class`.
 */
function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const serialized = pino.stdSerializers.err(value);
  const own = (value as { type?: unknown }).type;
  return typeof own === 'string' ? { ...serialized, class: serialized.type, type: own } : serialized;
}

export function createLogger(level: pino.Level = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'sqlserver-snowflake-migrator' },
    // The Temporal SDK passes failures as `error` (pino serializes only `err` by default, which left
    // `"error":{}`): both become {type, message, stack} plus the error's own fields (cause...).
    serializers: { err: serializeError, error: serializeError },
    redact: {
      paths: ['password', '*.password', 'privateKey', '*.privateKey', 'apiKey', '*.apiKey'],
      censor: '[secret]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
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
