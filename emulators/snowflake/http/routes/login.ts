/**
 * Login (password or key-pair JWT), token renewal, heartbeat, logout and telemetry.
 * Shapes: snowflake-sdk's services/sf.js and its wiremock mappings (login_request_ok.json,
 * session_token_renewal.json).
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { verifyJwt } from '../../auth/jwt';
import { SERVER_VERSION } from '../../engine/constants';
import type { Engine } from '../../engine/engine';
import { responseParameters, setParameter } from '../../engine/parameters';
import { auth } from '../../errors';
import { MASTER_VALIDITY_SECONDS, SESSION_VALIDITY_SECONDS, type SessionRegistry } from '../../sessions';
import { readJson, success } from '../respond';

export interface EmulatorUser {
  name: string;
  password?: string;
  publicKeyPem?: string;
  defaultRole?: string;
  /**
   * The user's DEFAULT_WAREHOUSE: the session's warehouse when the connection names none. Snowflake's
   * users have none unless an administrator sets one; statements that need a warehouse then fail
   * with 000606.
   */
  defaultWarehouse?: string;
}

export interface LoginContext {
  engine: Engine;
  registry: SessionRegistry;
  account: string;
  users: EmulatorUser[];
}

function samePassword(given: unknown, expected: string | undefined): boolean {
  if (typeof given !== 'string' || expected === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function login(
  ctx: LoginContext,
  req: IncomingMessage,
  url: URL,
): Promise<Record<string, unknown>> {
  const body = await readJson(req);
  const data = (body.data ?? {}) as Record<string, unknown>;
  const loginName = String(data.LOGIN_NAME ?? '');
  const user = ctx.users.find((u) => u.name.toUpperCase() === loginName.toUpperCase());
  const account = String(data.ACCOUNT_NAME ?? '');
  if (!user || account.toUpperCase() !== ctx.account.toUpperCase()) throw auth.badCredentials();
  if (String(data.AUTHENTICATOR ?? '').toUpperCase() === 'SNOWFLAKE_JWT') {
    if (!user.publicKeyPem) throw auth.badJwt('no public key is registered for the user');
    verifyJwt(String(data.TOKEN ?? ''), {
      account: ctx.account,
      user: user.name,
      publicKeyPem: user.publicKeyPem,
      nowMs: Date.now(),
    });
  } else if (!samePassword(data.PASSWORD, user.password)) {
    throw auth.badCredentials();
  }
  const param = (name: string) => url.searchParams.get(name);
  const fold = (name: string | null) =>
    name === null || name === '' ? null : /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name.toUpperCase() : name;
  const session = await ctx.engine.openSession({
    user: user.name.toUpperCase(),
    role: fold(param('roleName')) ?? user.defaultRole ?? 'PUBLIC',
    warehouse: fold(param('warehouse')) ?? fold(user.defaultWarehouse ?? null),
    database: fold(param('databaseName')),
    schema: fold(param('schemaName')),
  });
  for (const [name, value] of Object.entries((data.SESSION_PARAMETERS ?? {}) as Record<string, unknown>)) {
    try {
      setParameter(session.params, name, value as string);
    } catch {
      // Client-side parameters the stand-in has no use for.
    }
  }
  const client = ctx.registry.add(session);
  const id = session.identity;
  return success({
    masterToken: client.masterToken,
    token: client.token,
    validityInSeconds: SESSION_VALIDITY_SECONDS,
    masterValidityInSeconds: MASTER_VALIDITY_SECONDS,
    displayUserName: id.user,
    serverVersion: SERVER_VERSION,
    firstLogin: false,
    remMeToken: null,
    remMeValidityInSeconds: 0,
    healthCheckInterval: 45,
    newClientForUpgrade: null,
    sessionId: session.id,
    parameters: [...responseParameters(session.params), { name: 'CLIENT_PREFETCH_THREADS', value: 4 }],
    sessionInfo: {
      databaseName: id.database,
      schemaName: id.schema,
      warehouseName: id.warehouse,
      roleName: id.role,
    },
    idToken: null,
    idTokenValidityInSeconds: 0,
    responseData: null,
    mfaToken: null,
    mfaTokenValidityInSeconds: 0,
  });
}

export async function renewToken(ctx: LoginContext, req: IncomingMessage): Promise<Record<string, unknown>> {
  await readJson(req);
  const client = ctx.registry.renew(req.headers.authorization);
  return success({
    sessionToken: client.token,
    validityInSecondsST: SESSION_VALIDITY_SECONDS,
    masterToken: client.masterToken,
    validityInSecondsMT: MASTER_VALIDITY_SECONDS,
    sessionId: client.session.id,
  });
}

export async function logout(ctx: LoginContext, req: IncomingMessage): Promise<Record<string, unknown>> {
  await readJson(req);
  const client = ctx.registry.authenticate(req.headers.authorization);
  ctx.registry.remove(client);
  await ctx.engine.closeSession(client.session);
  return success(null);
}

export async function heartbeat(ctx: LoginContext, req: IncomingMessage): Promise<Record<string, unknown>> {
  await readJson(req);
  ctx.registry.authenticate(req.headers.authorization);
  return success({});
}

export async function telemetry(req: IncomingMessage): Promise<Record<string, unknown>> {
  await readJson(req);
  return success('Log Received');
}
