/** tedious connections to a SQL Server stand-in, and requests whose rows and RETURNVALUEs are collected. */
import { Connection, Request, type ConnectionConfiguration } from 'tedious';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { PASSWORD } from './support';

export type TediousOptions = NonNullable<ConnectionConfiguration['options']>;

export function tediousConfig(
  emulator: SqlServerEmulator,
  options: TediousOptions = {},
): ConnectionConfiguration {
  return {
    server: '127.0.0.1',
    authentication: { type: 'default', options: { userName: emulator.user, password: PASSWORD } },
    options: {
      port: emulator.port,
      database: 'shop',
      encrypt: false,
      trustServerCertificate: true,
      ...options,
    },
  };
}

export function openTedious(emulator: SqlServerEmulator, options?: TediousOptions): Promise<Connection> {
  const connection = new Connection(tediousConfig(emulator, options));
  return new Promise((resolve, reject) =>
    connection.connect((err) => (err ? reject(err) : resolve(connection))),
  );
}

export interface Outcome {
  rows: unknown[][];
  order?: number[];
  returnValues: Record<string, unknown>;
}

/** Builds a request (its callback settles the outcome), collects what it emits, and sends it with `send`. */
export function collect(
  build: (done: (err?: Error | null) => void) => Request,
  send: (request: Request) => void,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const outcome: Outcome = { rows: [], returnValues: {} };
    const request = build((err) => (err ? reject(err) : resolve(outcome)));
    request.on('row', (columns: { value: unknown }[]) => outcome.rows.push(columns.map((c) => c.value)));
    request.on('order', (order: number[]) => (outcome.order = order));
    request.on('returnValue', (name: string, value: unknown) => (outcome.returnValues[name] = value));
    send(request);
  });
}

/** A request sent with execSql (sp_executesql). */
export const run = (
  connection: Connection,
  build: (done: (err?: Error | null) => void) => Request,
): Promise<Outcome> => collect(build, (r) => connection.execSql(r));

export const sqlRequest = (connection: Connection, text: string): Promise<Outcome> =>
  run(connection, (done) => new Request(text, done));
