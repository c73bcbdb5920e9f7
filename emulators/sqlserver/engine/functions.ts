/** Built-in scalar functions: their result types and their evaluation in JavaScript. */
import { createHash, randomBytes } from 'node:crypto';
import { COLLATION_NAME, encodeCp1252 } from '../collation';
import { SqlError, notSupported } from '../errors';
import { isGlobalVariable } from '../tsql/builtins';
import { convert, partsOf } from '../types/convert';
import { dateAdd, dateAddType, type DatePart } from '../types/date-add';
import { civilFromDays, daysFromCivil, joinTicks, TICKS_PER_MINUTE_N } from '../types/datetime';
import type { SqlType } from '../types/sql-type';
import {
  BIGINT,
  INT,
  MAX,
  SYSNAME,
  catalogPrecision,
  catalogScale,
  higherPrecedence,
  isDateTimeType,
  isStringType,
  isUnicodeType,
  maxLengthBytes,
  nvarchar,
} from '../types/sql-type';
import { isVariant, type SqlValue, type Typed } from '../types/values';
import { sameName, type Catalog } from './catalog';
import { minValidVersion } from './change-tracking';
import { DATABASE_PERMISSIONS, OBJECT_PERMISSIONS, type Principal } from './security';
import { HIERARCHYID_METHODS } from './hierarchyid-methods';
import { SPATIAL_METHODS } from './spatial-methods';

/** What context-dependent functions and globals read: the session and the server. */
export interface EvalContext {
  database: string;
  catalog: Catalog;
  serverName: string;
  spid: number;
  tranCount: number;
  textSize: number;
  dateFirst: number;
  /** @@OPTIONS. */
  options: number;
  lastIdentity: bigint | null;
  rowCount: number;
  user: string;
  /** Who the session runs as in `database`: what it may see (UNMASK, VIEW DEFINITION) and USER_NAME(). */
  principal: Principal;
  /** The client's workstation and program names from its LOGIN7 (HOST_NAME(), APP_NAME()). */
  hostName: string;
  appName: string;
  version: string;
  productVersion: string;
  /** CHANGE_TRACKING_CURRENT_VERSION() of a database as this session reads it. */
  changeTrackingVersion(database: string): number;
  /** Resolves a one- to three-part name to a table's object id (OBJECT_ID). */
  objectId(name: string): number | null;
}

interface FunctionDef {
  args: [min: number, max: number];
  type(args: SqlType[]): SqlType;
  eval(args: Typed[], ctx: EvalContext): SqlValue;
}

/** SQL_VARIANT_PROPERTY's properties of a base type: the value and its own type. */
const VARIANT_PROPERTIES: Record<string, (base: SqlType) => Typed> = {
  basetype: (base) => ({ type: SYSNAME, value: base.name }),
  precision: (base) => ({ type: INT, value: catalogPrecision(base) }),
  scale: (base) => ({ type: INT, value: catalogScale(base) }),
  maxlength: (base) => ({ type: INT, value: maxLengthBytes(base) }),
};

const IDENTITY_TYPE: SqlType = { name: 'numeric', precision: 38, scale: 0 };

const str = (t: Typed): string | null =>
  t.value === null ? null : (convert(t.value, t.type, { name: 'nvarchar', length: MAX }) as string);
const int = (t: Typed): number | null =>
  t.value === null ? null : (convert(t.value, t.type, INT) as number);

function stringResult(t: SqlType): SqlType {
  return isStringType(t) ? t : nvarchar(4000);
}

/** The local wall clock as days and ticks, what GETDATE() reads. */
function localNow(): { days: number; ticks: number; offset: number } {
  const now = new Date();
  const days = daysFromCivil(now.getFullYear(), now.getMonth() + 1, now.getDate());
  const ms =
    ((now.getHours() * 60 + now.getMinutes()) * 60 + now.getSeconds()) * 1000 + now.getMilliseconds();
  return { days, ticks: ms * 10_000, offset: -now.getTimezoneOffset() };
}

function datePart(part: 'year' | 'month' | 'day'): FunctionDef {
  return {
    args: [1, 1],
    type: () => INT,
    eval: ([d]) => {
      if (d!.value === null) return null;
      const source = isDateTimeType(d!.type) ? d!.type : ({ name: 'datetime2', scale: 7 } as SqlType);
      const value = isDateTimeType(d!.type) ? d!.value : convert(d!.value, d!.type, source);
      const [y, m, day] = civilFromDays(partsOf(value, source, source).days);
      return part === 'year' ? y : part === 'month' ? m : day;
    },
  };
}

const HASH_ALGORITHMS: Record<string, string> = {
  md5: 'md5',
  sha: 'sha1',
  sha1: 'sha1',
  sha2_256: 'sha256',
  sha2_512: 'sha512',
};

/** The bytes SQL Server hashes: varchar in code page 1252, nvarchar in UTF-16LE. */
function bytesOf(t: Typed): Buffer {
  if (isStringType(t.type))
    return isUnicodeType(t.type)
      ? Buffer.from(t.value as string, 'utf16le')
      : encodeCp1252(t.value as string);
  return convert(t.value, t.type, { name: 'varbinary', length: MAX }) as Buffer;
}

const PROPERTIES: Record<string, (ctx: EvalContext) => Typed> = {
  productversion: (ctx) => ({ type: nvarchar(128), value: ctx.productVersion }),
  productmajorversion: (ctx) => ({ type: nvarchar(128), value: ctx.productVersion.split('.')[0]! }),
  productlevel: () => ({ type: nvarchar(128), value: 'RTM' }),
  edition: () => ({ type: nvarchar(128), value: 'Developer Edition (64-bit)' }),
  engineedition: () => ({ type: INT, value: 3 }),
  servername: (ctx) => ({ type: nvarchar(128), value: ctx.serverName }),
  machinename: (ctx) => ({ type: nvarchar(128), value: ctx.serverName }),
  instancename: () => ({ type: nvarchar(128), value: null }),
  collation: () => ({ type: nvarchar(128), value: COLLATION_NAME }),
  ishadrenabled: () => ({ type: INT, value: 0 }),
  isclustered: () => ({ type: INT, value: 0 }),
  // datetime, "the date and time that the Resource database was last updated": the stand-in has none, so
  // it reports the general-availability date of the release it claims (SQL Server 2022, 16.0.1000.6).
  // https://learn.microsoft.com/sql/t-sql/functions/serverproperty-transact-sql
  resourcelastupdatedatetime: () => ({
    type: { name: 'datetime' },
    value: convert('2022-11-16T00:00:00', nvarchar(30), { name: 'datetime' }),
  }),
};

/**
 * Permissions, from the session's principal (security.ts): the admin login `sa` is a sysadmin, which
 * SQL Server maps to the dbo user of every database and grants everything; other logins hold what their
 * database user was granted. A principal argument and other securable classes are refused rather than
 * guessed. https://learn.microsoft.com/sql/t-sql/functions/has-perms-by-name-transact-sql
 */
const FIXED_SERVER_ROLES = new Set([
  'sysadmin',
  'serveradmin',
  'securityadmin',
  'processadmin',
  'setupadmin',
  'bulkadmin',
  'diskadmin',
  'dbcreator',
  'public',
]);
const FIXED_DATABASE_ROLES = new Set([
  'db_owner',
  'db_securityadmin',
  'db_accessadmin',
  'db_backupoperator',
  'db_ddladmin',
  'db_datawriter',
  'db_datareader',
  'db_denydatawriter',
  'db_denydatareader',
  'public',
]);

/**
 * Membership of `role`, NULL for a name that is no role. The stand-in cannot add a login to a server
 * role, so only `sa` is a sysadmin; database roles come from ALTER ROLE ... ADD MEMBER.
 */
function roleMember(
  kind: string,
  known: Set<string>,
  member: (role: string, ctx: EvalContext) => boolean,
): FunctionDef {
  return {
    args: [1, 2],
    type: () => INT,
    eval: ([role, principal], ctx) => {
      if (principal && principal.value !== null) throw notSupported(`${kind} with a principal argument`);
      const name = (str(role!) ?? '').toLowerCase();
      if (!known.has(name)) return null;
      return member(name, ctx) ? 1 : 0;
    },
  };
}

const FUNCTIONS: Record<string, FunctionDef> = {
  is_srvrolemember: roleMember(
    'IS_SRVROLEMEMBER',
    FIXED_SERVER_ROLES,
    (role, ctx) => role === 'public' || (role === 'sysadmin' && ctx.principal.admin),
  ),
  is_rolemember: roleMember('IS_ROLEMEMBER', FIXED_DATABASE_ROLES, (role, ctx) => {
    // sa is dbo, a member of db_owner; whether SQL Server counts it in the other roles is not modelled.
    if (ctx.principal.admin && role !== 'db_owner' && role !== 'public')
      throw notSupported(`IS_ROLEMEMBER('${role}')`);
    return ctx.catalog.security.isRoleMember(ctx.principal, role);
  }),
  has_perms_by_name: {
    args: [3, 3],
    type: () => INT,
    eval: ([securable, securableClass, permission], ctx) => {
      const kind = (str(securableClass!) ?? '').toUpperCase();
      if (kind === 'OBJECT') {
        const asked = (str(permission!) ?? '').toUpperCase();
        if (!OBJECT_PERMISSIONS.has(asked))
          throw notSupported(
            `HAS_PERMS_BY_NAME on an OBJECT for ${asked} (only SELECT and VIEW CHANGE TRACKING)`,
          );
        // An object that does not exist (or the caller cannot see): what SQL Server answers is not documented.
        const name = str(securable!);
        if (name === null || ctx.objectId(name) === null)
          throw notSupported('HAS_PERMS_BY_NAME on an object that does not exist');
        return ctx.catalog.security.holdsOnObject(ctx.principal, asked) ? 1 : 0;
      }
      if (kind !== 'DATABASE') throw notSupported(`HAS_PERMS_BY_NAME on the securable class ${kind}`);
      const name = str(securable!) ?? ctx.database; // NULL: the current database
      if (!ctx.catalog.database(name)) return null;
      const asked = (str(permission!) ?? '').toUpperCase();
      if (!DATABASE_PERMISSIONS.has(asked)) return null;
      return ctx.catalog.security.holds(ctx.principal, asked) ? 1 : 0;
    },
  },
  host_name: {
    args: [0, 0],
    type: () => ({ name: 'nvarchar', length: 128 }),
    eval: (_a, ctx) => ctx.hostName,
  },
  app_name: { args: [0, 0], type: () => ({ name: 'nvarchar', length: 128 }), eval: (_a, ctx) => ctx.appName },
  db_name: {
    args: [0, 1],
    type: () => SYSNAME,
    eval: (args, ctx) => {
      if (args.length === 0) return ctx.database;
      const id = int(args[0]!);
      return ctx.catalog.allDatabases().find((d) => d.id === id)?.name ?? null;
    },
  },
  db_id: {
    args: [0, 1],
    type: () => ({ name: 'smallint' }),
    eval: (args, ctx) =>
      ctx.catalog.database(args.length === 0 ? ctx.database : (str(args[0]!) ?? ''))?.id ?? null,
  },
  schema_name: {
    args: [0, 1],
    type: () => SYSNAME,
    eval: (args, ctx) => {
      if (args.length === 0) return 'dbo';
      const id = int(args[0]!);
      return ctx.catalog.database(ctx.database)?.schemas.find((s) => s.id === id)?.name ?? null;
    },
  },
  schema_id: {
    args: [0, 1],
    type: () => INT,
    eval: (args, ctx) =>
      ctx.catalog.schema(ctx.database, args.length === 0 ? 'dbo' : (str(args[0]!) ?? ''))?.id ?? null,
  },
  object_id: {
    args: [1, 2],
    type: () => INT,
    eval: ([name, kind], ctx) => {
      const k = kind ? str(kind)?.trim().toUpperCase() : undefined;
      if (k !== undefined && k !== 'U') return null;
      return ctx.objectId(str(name!) ?? '');
    },
  },
  user_name: {
    args: [0, 1],
    type: () => SYSNAME,
    eval: (args, ctx) => {
      if (args.length > 0) {
        if (int(args[0]!) === 1) return 'dbo'; // principal_id 1 is dbo
        throw notSupported('USER_NAME with a user id other than 1');
      }
      return ctx.principal.admin ? 'dbo' : ctx.principal.user!.name;
    },
  },
  // https://learn.microsoft.com/en-us/sql/t-sql/functions/sql-variant-property-transact-sql: the base
  // type (sysname), Precision and Scale as the page lists them per type (the numbers sys.columns shows),
  // MaxLength in bytes ("MaxLength of nvarchar(50) is 100, MaxLength of int is 4"); NULL for a NULL
  // value or a property it does not name. Any other argument is converted to sql_variant first.
  sql_variant_property: {
    args: [2, 2],
    type: () => ({ name: 'sql_variant' }),
    eval: ([expression, property]) => {
      if (expression!.value === null) return null;
      const value = expression!.value;
      const base = isVariant(value) ? value.variant : expression!.type;
      const answer = VARIANT_PROPERTIES[(str(property!) ?? '').toLowerCase()]?.(base);
      return answer === undefined ? null : { variant: answer.type, value: answer.value };
    },
  },
  suser_sname: { args: [0, 1], type: () => SYSNAME, eval: (_args, ctx) => ctx.user },
  suser_name: { args: [0, 1], type: () => SYSNAME, eval: (_args, ctx) => ctx.user },
  serverproperty: {
    args: [1, 1],
    type: () => ({ name: 'sql_variant' }),
    eval: ([name], ctx) => {
      const property = PROPERTIES[(str(name!) ?? '').toLowerCase()];
      if (!property) return null;
      const v = property(ctx);
      return v.value === null ? null : { variant: v.type, value: v.value };
    },
  },
  // https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-current-version-transact-sql:
  // NULL when change tracking is not enabled for the database.
  change_tracking_current_version: {
    args: [0, 0],
    type: () => ({ name: 'bigint' }),
    eval: (_a, ctx) =>
      ctx.catalog.database(ctx.database)?.changeTracking
        ? BigInt(ctx.changeTrackingVersion(ctx.database))
        : null,
  },
  // https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-min-valid-version-transact-sql:
  // NULL when the database is not tracked or the id is not a table of the current database (a table
  // that is not tracked has no minimum valid version either).
  change_tracking_min_valid_version: {
    args: [1, 1],
    type: () => ({ name: 'bigint' }),
    eval: ([id], ctx) => {
      if (id!.value === null || !ctx.catalog.database(ctx.database)?.changeTracking) return null;
      const table = ctx.catalog.tableById(Number(convert(id!.value, id!.type, { name: 'int' })));
      if (!table?.changeTracking || !sameName(table.database, ctx.database)) return null;
      return BigInt(minValidVersion(table.changeTracking));
    },
  },
  scope_identity: { args: [0, 0], type: () => IDENTITY_TYPE, eval: (_a, ctx) => ctx.lastIdentity },
  ident_current: {
    args: [1, 1],
    type: () => IDENTITY_TYPE,
    eval: ([name], ctx) => {
      const id = ctx.objectId(str(name!) ?? '');
      const table = id === null ? undefined : ctx.catalog.tableById(id);
      const identity = table?.columns.find((c) => c.identity)?.identity;
      if (!table || !identity) return null;
      return table.identityCurrent ?? identity.seed;
    },
  },
  isnull: {
    args: [2, 2],
    type: ([a]) => a!,
    eval: ([a, b]) => (a!.value !== null ? a!.value : convert(b!.value, b!.type, a!.type)),
  },
  coalesce: {
    args: [2, 64],
    type: (types) => types.reduce((t, u) => higherPrecedence(t, u)),
    eval: (args) => {
      const target = args.map((a) => a.type).reduce((t, u) => higherPrecedence(t, u));
      const first = args.find((a) => a.value !== null);
      return first ? convert(first.value, first.type, target) : null;
    },
  },
  nullif: {
    args: [2, 2],
    type: ([a]) => a!,
    eval: ([a, b]) => {
      if (a!.value === null) return null;
      const equal =
        b!.value !== null &&
        String(convert(a!.value, a!.type, { name: 'nvarchar', length: MAX })) ===
          String(convert(b!.value, b!.type, { name: 'nvarchar', length: MAX }));
      return equal ? null : a!.value;
    },
  },
  len: {
    args: [1, 1],
    type: ([t]) => (t!.length === MAX ? BIGINT : INT),
    eval: ([s]) => {
      const v = str(s!);
      if (v === null) return null;
      const n = v.replace(/ +$/, '').length;
      return s!.type.length === MAX ? BigInt(n) : n;
    },
  },
  datalength: {
    args: [1, 1],
    type: ([t]) => (t!.length === MAX ? BIGINT : INT),
    eval: ([v]) =>
      v!.value === null ? null : v!.type.length === MAX ? BigInt(bytesOf(v!).length) : bytesOf(v!).length,
  },
  upper: { args: [1, 1], type: ([t]) => stringResult(t!), eval: ([s]) => str(s!)?.toUpperCase() ?? null },
  lower: { args: [1, 1], type: ([t]) => stringResult(t!), eval: ([s]) => str(s!)?.toLowerCase() ?? null },
  ltrim: {
    args: [1, 1],
    type: ([t]) => stringResult(t!),
    eval: ([s]) => str(s!)?.replace(/^ +/, '') ?? null,
  },
  rtrim: {
    args: [1, 1],
    type: ([t]) => stringResult(t!),
    eval: ([s]) => str(s!)?.replace(/ +$/, '') ?? null,
  },
  trim: {
    args: [1, 1],
    type: ([t]) => stringResult(t!),
    eval: ([s]) => str(s!)?.replace(/^ +| +$/g, '') ?? null,
  },
  reverse: {
    args: [1, 1],
    type: ([t]) => stringResult(t!),
    eval: ([s]) => (str(s!) === null ? null : [...str(s!)!].reverse().join('')),
  },
  substring: {
    args: [3, 3],
    type: ([t]) => stringResult(t!),
    eval: ([s, start, length]) => {
      const v = str(s!);
      const from = int(start!);
      const count = int(length!);
      if (v === null || from === null || count === null) return null;
      if (count < 0)
        throw new SqlError(537, 'Invalid length parameter passed to the LEFT or SUBSTRING function.');
      const begin = Math.max(from, 1);
      const end = from + count;
      return end <= begin ? '' : v.slice(begin - 1, end - 1);
    },
  },
  left: {
    args: [2, 2],
    type: ([t]) => stringResult(t!),
    eval: ([s, n]) => {
      const v = str(s!);
      const count = int(n!);
      return v === null || count === null ? null : v.slice(0, Math.max(0, count));
    },
  },
  right: {
    args: [2, 2],
    type: ([t]) => stringResult(t!),
    eval: ([s, n]) => {
      const v = str(s!);
      const count = int(n!);
      return v === null || count === null ? null : count <= 0 ? '' : v.slice(-count);
    },
  },
  replace: {
    args: [3, 3],
    type: ([t]) => (isStringType(t!) && t!.length === MAX ? t! : nvarchar(4000)),
    eval: ([s, find, replacement]) => {
      const [v, f, r] = [str(s!), str(find!), str(replacement!)];
      if (v === null || f === null || r === null) return null;
      if (f === '') return v;
      return v.replace(new RegExp(f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'), () => r);
    },
  },
  charindex: {
    args: [2, 3],
    type: () => INT,
    eval: ([find, s, start]) => {
      const [f, v] = [str(find!), str(s!)];
      if (f === null || v === null) return null;
      const from = start ? (int(start) ?? 1) : 1;
      return v.toLowerCase().indexOf(f.toLowerCase(), Math.max(0, from - 1)) + 1;
    },
  },
  replicate: {
    args: [2, 2],
    type: ([t]) => stringResult(t!),
    eval: ([s, n]) => {
      const [v, count] = [str(s!), int(n!)];
      return v === null || count === null || count < 0 ? null : v.repeat(count);
    },
  },
  concat: {
    args: [2, 254],
    type: (types) =>
      types.some((t) => isUnicodeType(t) || !isStringType(t))
        ? nvarchar(4000)
        : { name: 'varchar', length: 8000 },
    eval: (args) => args.map((a) => str(a) ?? '').join(''),
  },
  abs: {
    args: [1, 1],
    type: ([t]) => t!,
    eval: ([x]) => {
      const v = x!.value;
      if (v === null) return null;
      if (typeof v === 'bigint') return v < 0n ? -v : v;
      return Math.abs(v as number);
    },
  },
  newid: { args: [0, 0], type: () => ({ name: 'uniqueidentifier' }), eval: () => randomGuid() },
  getdate: {
    args: [0, 0],
    type: () => ({ name: 'datetime' }),
    eval: () => nowAs({ name: 'datetime' }, false),
  },
  getutcdate: {
    args: [0, 0],
    type: () => ({ name: 'datetime' }),
    eval: () => nowAs({ name: 'datetime' }, true),
  },
  sysdatetime: {
    args: [0, 0],
    type: () => ({ name: 'datetime2', scale: 7 }),
    eval: () => nowAs({ name: 'datetime2', scale: 7 }, false),
  },
  sysutcdatetime: {
    args: [0, 0],
    type: () => ({ name: 'datetime2', scale: 7 }),
    eval: () => nowAs({ name: 'datetime2', scale: 7 }, true),
  },
  sysdatetimeoffset: {
    args: [0, 0],
    type: () => ({ name: 'datetimeoffset', scale: 7 }),
    eval: () => {
      const now = localNow();
      return {
        utc: joinTicks(now.days, now.ticks) - BigInt(now.offset) * TICKS_PER_MINUTE_N,
        offset: now.offset,
      };
    },
  },
  // DATEADD's first argument arrives as the datepart's name (binder.ts, datePartArgument).
  dateadd: {
    args: [3, 3],
    type: ([, , date]) => dateAddType(date!),
    eval: ([part, number, date]) =>
      number!.value === null || date!.value === null
        ? null
        : dateAdd(part!.value as DatePart, int(number!)!, date!.value, date!.type),
  },
  year: datePart('year'),
  month: datePart('month'),
  day: datePart('day'),
  hashbytes: {
    args: [2, 2],
    type: () => ({ name: 'varbinary', length: 8000 }),
    eval: ([algorithm, input]) => {
      const name = HASH_ALGORITHMS[(str(algorithm!) ?? '').toLowerCase()];
      if (!name) throw notSupported(`HASHBYTES algorithm ${str(algorithm!)}`);
      if (input!.value === null) return null;
      return createHash(name).update(bytesOf(input!)).digest();
    },
  },
};

function randomGuid(): Buffer {
  const b = randomBytes(16);
  b[7] = (b[7]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b;
}

function nowAs(type: SqlType, utc: boolean): SqlValue {
  const now = localNow();
  const local = joinTicks(now.days, now.ticks);
  const ticks = utc ? local - BigInt(now.offset) * TICKS_PER_MINUTE_N : local;
  return convert(ticks, { name: 'datetime2', scale: 7 }, type);
}

export function lookupFunction(name: string): FunctionDef | undefined {
  return FUNCTIONS[name] ?? SPATIAL_METHODS[name] ?? HIERARCHYID_METHODS[name];
}

/** @@ globals. */
export function globalVariable(name: string, ctx: EvalContext): Typed {
  switch (name) {
    case '@@VERSION':
      return { type: nvarchar(300), value: ctx.version };
    case '@@SPID':
      return { type: { name: 'smallint' }, value: ctx.spid };
    case '@@TRANCOUNT':
      return { type: INT, value: ctx.tranCount };
    case '@@ROWCOUNT':
      return { type: INT, value: ctx.rowCount };
    case '@@IDENTITY':
      return { type: IDENTITY_TYPE, value: ctx.lastIdentity };
    case '@@SERVERNAME':
      return { type: SYSNAME, value: ctx.serverName };
    case '@@LANGUAGE':
      return { type: SYSNAME, value: 'us_english' };
    case '@@MAX_PRECISION':
      return { type: { name: 'tinyint' }, value: 38 };
    case '@@DATEFIRST':
      return { type: { name: 'tinyint' }, value: ctx.dateFirst };
    case '@@OPTIONS':
      return { type: INT, value: ctx.options };
    case '@@TEXTSIZE':
      return { type: INT, value: ctx.textSize };
  }
  if (isGlobalVariable(name)) throw notSupported(name.toUpperCase());
  throw new SqlError(137, `Must declare the scalar variable "${name}".`, { class: 15 });
}
