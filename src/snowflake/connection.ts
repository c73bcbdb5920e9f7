/**
 * Snowflake sessions for the worker and the CLI: a small pool of driver connections, each logged in on
 * demand. (snowflake-sdk's own pool waits forever when a login fails; here a wrong password is an
 * immediate, classified error.)
 */
import snowflake from 'snowflake-sdk';
import type { TargetConfig } from '../config/schema';
import type { TargetSecrets } from '../config/secrets';
import { pinSessionParameters, queryTag, setQueryTag } from './session-parameters';

export type Session = snowflake.Connection;
export type Bind = string | number | boolean | null;
export type Binds = Bind[] | Bind[][];

let driverConfigured = false;
function configureDriver(): void {
  if (driverConfigured) return;
  // The driver logs to a file and the console at INFO by default; the worker has its own logs.
  snowflake.configure({ logLevel: 'ERROR', additionalLogToConsole: false });
  driverConfigured = true;
}

export function targetConnectionOptions(
  config: TargetConfig,
  secrets: TargetSecrets,
): snowflake.ConnectionOptions {
  const auth =
    'password' in secrets
      ? { password: secrets.password }
      : {
          authenticator: 'SNOWFLAKE_JWT',
          privateKey: secrets.privateKey,
          ...(secrets.passphrase ? { privateKeyPass: secrets.passphrase } : {}),
        };
  return {
    account: config.account,
    ...(config.accessUrl ? { accessUrl: config.accessUrl } : {}),
    username: config.user,
    ...auth,
    ...(config.role ? { role: config.role } : {}),
    ...(config.warehouse ? { warehouse: config.warehouse } : {}),
    application: 'sqlserver-snowflake-migrator',
    // The driver would retry a refused login for minutes without a word; the run waits out outages
    // itself and says so (src/contracts/outage.ts).
    sfRetryMaxLoginRetries: 2,
    // A NULL fetched as a string stays null instead of becoming the text "NULL" (the driver's default).
    representNullAsStringNull: false,
  } as snowflake.ConnectionOptions;
}

export function execute<T = Record<string, unknown>>(
  session: Session,
  sqlText: string,
  binds?: Binds,
  options: { fetchAsString?: ('String' | 'Boolean' | 'Number' | 'Date' | 'JSON' | 'Buffer')[] } = {},
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    session.execute({
      sqlText,
      ...(binds ? { binds: binds as snowflake.Binds } : {}),
      ...(options.fetchAsString ? { fetchAsString: options.fetchAsString } : {}),
      complete: (err, _statement, rows) => (err ? reject(err) : resolve((rows ?? []) as T[])),
    });
  });
}

/**
 * How long a session check may take. The driver retries an unanswered request for minutes on its own;
 * past this the check counts as Snowflake being unreachable, so the run says it is waiting for it.
 */
const SESSION_CHECK_MS = 10_000;

/** Whether the session is alive; undefined when Snowflake did not answer in time. */
async function answersInTime(session: Session): Promise<boolean | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), SESSION_CHECK_MS);
  });
  try {
    return await Promise.race([session.isValidAsync(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Shaped as a socket timeout, which src/snowflake/outage.ts counts as Snowflake being unreachable. */
function unreachable(): Error {
  const seconds = SESSION_CHECK_MS / 1000;
  return Object.assign(new Error(`Snowflake did not answer a session check within ${seconds} s.`), {
    code: 'ETIMEDOUT',
  });
}

export interface TargetConnection {
  /**
   * Runs `work` on a logged-in session; at most `poolMax` sessions at once. `tag` (from queryTag())
   * names the work in QUERY_HISTORY; without it the session carries the migrator's plain tag.
   */
  use<T>(work: (session: Session) => Promise<T>, tag?: string): Promise<T>;
  close(): Promise<void>;
}

/** `overrides`: driver options for one caller, e.g. no login retries for `check`, which must answer fast. */
export function createTargetConnection(
  config: TargetConfig,
  secrets: TargetSecrets,
  overrides: Partial<snowflake.ConnectionOptions> = {},
): TargetConnection {
  configureDriver();
  const options = { ...targetConnectionOptions(config, secrets), ...overrides };
  const idle: Session[] = [];
  const all = new Set<Session>();
  /** Each session's QUERY_TAG, so it is set again only when it changes. */
  const tags = new WeakMap<Session, string>();
  const waiting: (() => void)[] = [];
  let busy = 0;

  async function acquire(): Promise<Session> {
    while (busy >= config.poolMax) await new Promise<void>((wake) => waiting.push(wake));
    busy += 1;
    try {
      // An idle session may belong to a Snowflake that has since restarted or dropped it: a heartbeat
      // (testOnBorrow) finds out before a statement fails on it. One failing means the others, idle as
      // long or longer, are likely dead too, so they are checked the same way as they come up.
      for (let reusable = idle.pop(); reusable; reusable = idle.pop()) {
        const valid = await answersInTime(reusable);
        if (valid) return reusable;
        all.delete(reusable);
        reusable.destroy(() => undefined);
        if (valid === undefined) throw unreachable();
      }
      const session = snowflake.createConnection(options);
      await new Promise<void>((resolve, reject) => session.connect((err) => (err ? reject(err) : resolve())));
      try {
        await execute(session, pinSessionParameters(config.statementTimeoutSeconds));
      } catch (err) {
        session.destroy(() => undefined);
        throw err;
      }
      tags.set(session, queryTag());
      all.add(session);
      return session;
    } catch (err) {
      release();
      throw err;
    }
  }

  function release(): void {
    busy -= 1;
    waiting.shift()?.();
  }

  return {
    async use(work, tag = queryTag()) {
      const session = await acquire();
      try {
        if (tags.get(session) !== tag) {
          await execute(session, setQueryTag(tag));
          tags.set(session, tag);
        }
        return await work(session);
      } finally {
        if (session.isUp()) idle.push(session);
        else all.delete(session);
        release();
      }
    },
    async close() {
      const sessions = [...all];
      all.clear();
      idle.length = 0;
      await Promise.all(
        sessions.map(
          (s) => new Promise<void>((resolve) => (s.isUp() ? s.destroy(() => resolve()) : resolve())),
        ),
      );
    },
  };
}
