/**
 * The migrator's configuration: one zod schema, the single source of truth for what a config file may
 * hold, its defaults and its types. Secrets never appear here: the file names the environment variable
 * or the file that holds each secret, and src/config/secrets.ts reads them in the worker and the CLI.
 */
import { z } from 'zod';
import { resolveIdentifier } from '../names/snowflake-names';
import { targetNameClash } from '../names/target-names';
import { TARGET_SCHEMA_MODES } from '../contracts/table';
import { invalidFilterMessage } from '../sql/sqlserver/filter';
import { isNamePattern, isPattern, splitNameParts, type TablePattern } from '../names/sqlserver-names';

/** Whether a config name is a pattern; a text that is no name at all is left to the table checks. */
function looksLikePattern(text: string): boolean {
  try {
    return isNamePattern(text);
  } catch {
    return false;
  }
}

const port = z.number().int().min(1).max(65535);
const envVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, like MSSQL_PASSWORD');

/** Where a secret comes from: an environment variable (the default) or a file; never the config text. */
const secretSource = (defaultEnv: string) =>
  z.strictObject(
    {
      env: envVarName.default(defaultEnv).describe('environment variable holding the secret'),
      file: z.string().min(1).optional().describe('file holding the secret (wins over env when given)'),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? `secrets never go in the config file: put it in an environment variable and write { env: ${defaultEnv} }, or name a file with { file: <path> }`
          : undefined,
    },
  );

/**
 * "The maximum network packet size for encrypted connections is 16,383 bytes."
 * https://learn.microsoft.com/en-us/sql/database-engine/configure-windows/configure-the-network-packet-size-server-configuration-option
 */
export const MAX_ENCRYPTED_PACKET_SIZE = 16_383;

/**
 * How the migrator logs in to SQL Server, through tedious' own authentication types (their names, options
 * and token handling are tedious'; its docs: https://tediousjs.github.io/tedious/api-connection.html).
 * Microsoft Entra ID (Azure SQL, Managed Instance, SQL Server 2022 with Azure Arc):
 * https://learn.microsoft.com/en-us/azure/azure-sql/database/authentication-aad-overview. An Entra
 * principal reaches a database through a user made with `CREATE USER [name] FROM EXTERNAL PROVIDER`
 * (https://learn.microsoft.com/en-us/sql/t-sql/statements/create-user-transact-sql). Secrets come from the
 * environment or files only, like every other secret.
 */
const entraClientId = z.string().min(1).describe('the application (client) ID in Microsoft Entra ID');
const entraTenantId = z.string().min(1).describe('the directory (tenant) ID in Microsoft Entra ID');
export const SourceAuthenticationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('sql').describe('SQL Server authentication: source.user and source.password'),
  }),
  z.strictObject({
    type: z
      .literal('azure-active-directory-password')
      .describe('an Entra ID user name (source.user) and its password (source.password)'),
    clientId: entraClientId,
    tenantId: entraTenantId.optional(),
  }),
  z.strictObject({
    type: z
      .literal('azure-active-directory-service-principal-secret')
      .describe('an Entra ID application (service principal) and its client secret'),
    clientId: entraClientId,
    tenantId: entraTenantId,
    clientSecret: secretSource('MSSQL_CLIENT_SECRET').default({ env: 'MSSQL_CLIENT_SECRET' }),
  }),
  z.strictObject({
    type: z
      .enum(['azure-active-directory-msi-vm', 'azure-active-directory-msi-app-service'])
      .describe('the managed identity of the Azure VM or App Service the worker runs on'),
    clientId: entraClientId.optional().describe('a user-assigned identity; default the system-assigned one'),
  }),
  z.strictObject({
    type: z
      .literal('azure-active-directory-access-token')
      .describe('an Entra ID access token for https://database.windows.net/ that you obtain and renew'),
    token: secretSource('MSSQL_ACCESS_TOKEN').default({ env: 'MSSQL_ACCESS_TOKEN' }),
  }),
  z.strictObject({
    type: z
      .literal('azure-active-directory-default')
      .describe(
        "@azure/identity's DefaultAzureCredential: environment, workload or managed identity, Azure CLI",
      ),
    clientId: entraClientId.optional(),
  }),
]);
export type SourceAuthentication = z.infer<typeof SourceAuthenticationSchema>;

/** The authentication types whose login names a user and a password in source.user and source.password. */
const USER_AND_PASSWORD = new Set<SourceAuthentication['type']>(['sql', 'azure-active-directory-password']);
export const usesUserAndPassword = (auth: SourceAuthentication): boolean => USER_AND_PASSWORD.has(auth.type);

export const SourceConfigSchema = z
  .strictObject({
    server: z.string().min(1),
    port: port
      .optional()
      .describe('TCP port (default 1433); not with instanceName, whose port SQL Server Browser tells'),
    // SQL Server Browser answers on UDP 1434 with the named instance's TCP port:
    // https://learn.microsoft.com/en-us/sql/database-engine/configure-windows/sql-server-browser-service-database-engine-and-ssas
    instanceName: z
      .string()
      .min(1)
      .optional()
      .describe('a named instance (SERVER\\NAME): its port is asked of SQL Server Browser on UDP 1434'),
    database: z.string().min(1),
    user: z
      .string()
      .min(1)
      .optional()
      .describe(
        "the login (SQL) or Entra ID user name; only with authentication types 'sql' and 'azure-active-directory-password'",
      ),
    password: secretSource('MSSQL_PASSWORD').default({ env: 'MSSQL_PASSWORD' }),
    authentication: SourceAuthenticationSchema.default({ type: 'sql' }),
    // ApplicationIntent=ReadOnly: an availability group listener routes the login to a readable secondary
    // (https://learn.microsoft.com/en-us/sql/database-engine/availability-groups/windows/configure-read-only-routing-for-an-availability-group-sql-server),
    // Azure SQL to its read-only replica (https://learn.microsoft.com/en-us/azure/azure-sql/database/read-scale-out).
    readOnlyIntent: z
      .boolean()
      .default(false)
      .describe(
        'ask for a read-only replica (ApplicationIntent=ReadOnly): an availability group secondary or Azure read scale-out',
      ),
    // "Always specify multiSubnetFailover=True when connecting to the availability group listener ... or a
    // Failover Cluster Instance": https://learn.microsoft.com/en-us/dotnet/api/microsoft.data.sqlclient.sqlconnectionstringbuilder.multisubnetfailover
    multiSubnetFailover: z
      .boolean()
      .default(false)
      .describe(
        'connect to every address of a multi-subnet availability group listener or failover cluster at once',
      ),
    // Microsoft's drivers name the same choices Encrypt=Mandatory|Strict|Optional and HostNameInCertificate:
    // https://learn.microsoft.com/en-us/dotnet/api/microsoft.data.sqlclient.sqlconnectionencryptoption.strict
    // https://learn.microsoft.com/dotnet/api/microsoft.data.sqlclient.sqlconnectionstringbuilder.hostnameincertificate
    encrypt: z
      .union([z.boolean(), z.literal('strict')])
      .default(true)
      .describe(
        "TLS to SQL Server: true (negotiated in PRELOGIN, TDS 7.4), 'strict' (TDS 8.0: TLS first, SQL Server 2022 and later), false (none; refused by a server with Force Encryption)",
      ),
    trustServerCertificate: z
      .boolean()
      .default(false)
      .describe(
        "accept SQL Server's certificate without checking who signed it (a self-signed one); not with encrypt: 'strict', which always checks: give caFile instead",
      ),
    caFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        "PEM file of the CA certificate(s) to trust for SQL Server's certificate instead of the system's (an internal CA, or a self-signed certificate itself)",
      ),
    hostNameInCertificate: z
      .string()
      .min(1)
      .optional()
      .describe(
        "the host name SQL Server's certificate must name, when it is not source.server (an IP address, an alias, a listener)",
      ),
    connectTimeoutMs: z.number().int().positive().default(15_000),
    requestTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(30 * 60_000),
    poolMax: z.number().int().min(1).max(100).default(8),
    packetSize: z
      .number()
      .int()
      .min(512)
      .max(32_767)
      .optional()
      .describe(
        `TDS packet size in bytes; default ${MAX_ENCRYPTED_PACKET_SIZE} when encrypting (SQL Server's maximum for encrypted connections), 32767 otherwise`,
      ),
  })
  .superRefine((source, ctx) => {
    if (source.instanceName !== undefined && source.port !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['port'],
        message:
          'give either source.port or source.instanceName: a named instance is reached on the port SQL Server Browser tells',
      });
    const userAndPassword = usesUserAndPassword(source.authentication);
    if (userAndPassword && source.user === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['user'],
        message: `required with source.authentication.type ${source.authentication.type}`,
      });
    if (!userAndPassword && source.user !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['user'],
        message: `not used with source.authentication.type ${source.authentication.type}, where the identity is the token's: remove it`,
      });
    if (
      source.encrypt !== false &&
      source.packetSize !== undefined &&
      source.packetSize > MAX_ENCRYPTED_PACKET_SIZE
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['packetSize'],
        message: `at most ${MAX_ENCRYPTED_PACKET_SIZE} while source.encrypt is on: the maximum network packet size for encrypted connections is 16,383 bytes`,
      });
    }
    // tedious always verifies the certificate under encrypt: 'strict': its TDS 8.0 TLS connect ignores
    // trustServerCertificate (node_modules/tedious/lib/connection.js, wrapWithTls).
    if (source.encrypt === 'strict' && source.trustServerCertificate) {
      ctx.addIssue({
        code: 'custom',
        path: ['trustServerCertificate'],
        message:
          "does not apply with encrypt: 'strict', where the certificate is always checked: name the CA (or the self-signed certificate) in source.caFile",
      });
    }
  });

const passwordAuth = z.strictObject({
  method: z.literal('password'),
  password: secretSource('SNOWFLAKE_PASSWORD').default({ env: 'SNOWFLAKE_PASSWORD' }),
});
const keyPairAuth = z.strictObject({
  method: z.literal('keyPair'),
  privateKey: secretSource('SNOWFLAKE_PRIVATE_KEY').default({ env: 'SNOWFLAKE_PRIVATE_KEY' }),
  passphrase: secretSource('SNOWFLAKE_PRIVATE_KEY_PASSPHRASE').optional(),
});

export const TargetConfigSchema = z.strictObject({
  account: z.string().min(1).describe('Snowflake account identifier, e.g. xy12345.eu-central-1'),
  accessUrl: z.url().optional().describe('explicit service URL (private link, or a local stand-in)'),
  user: z.string().min(1),
  auth: z.discriminatedUnion('method', [passwordAuth, keyPairAuth]).default({
    method: 'password',
    password: { env: 'SNOWFLAKE_PASSWORD' },
  }),
  role: z.string().min(1).optional(),
  warehouse: z.string().min(1).optional(),
  // Resolved by Snowflake's identifier rule once, here: steve_mcp is STEVE_MCP, '"Mixed"' stays Mixed.
  database: z.string().min(1).default('STEVE_MCP').transform(resolveIdentifier),
  schema: z.string().min(1).default('DATA_MIGRATION').transform(resolveIdentifier),
  schemas: z
    .enum(TARGET_SCHEMA_MODES)
    .default('single')
    .describe(
      'single: every table in `schema`; perSource: each table in a Snowflake schema named after its source schema (dbo.T -> DBO.T), created when missing; the stage stays in `schema`',
    ),
  stage: z
    .string()
    .min(1)
    .default('MIGRATOR_STAGE')
    .transform(resolveIdentifier)
    .describe('named internal stage the batch files go to'),
  poolMax: z.number().int().min(1).max(64).default(4),
  statementTimeoutSeconds: z
    .number()
    .int()
    .min(60)
    .max(172800)
    .default(3600)
    .describe(
      "STATEMENT_TIMEOUT_IN_SECONDS for the migrator's sessions: the longest one statement (a batch's COPY, a table's checks) may run before Snowflake cancels it and the activity retries",
    ),
});

export const TemporalConfigSchema = z.strictObject({
  address: z.string().min(1).default('localhost:7233'),
  namespace: z.string().min(1).default('default'),
  taskQueue: z.string().min(1).default('sqlserver-snowflake-migrator'),
  webUiUrl: z.url().default('http://localhost:8233'),
  // The SDK's TLS options (https://typescript.temporal.io/api/interfaces/client.TLSConfig); the section
  // turns TLS on, {} with the system's CAs. README: Temporal over TLS, mTLS and Temporal Cloud.
  tls: z
    .strictObject({
      serverName: z
        .string()
        .min(1)
        .optional()
        .describe("the name the server's certificate must carry when it is not the host in address"),
      caFile: z
        .string()
        .min(1)
        .optional()
        .describe(
          "PEM file of the CA certificate(s) that signed the server's certificate; default the system's",
        ),
      clientCertFile: z
        .string()
        .min(1)
        .optional()
        .describe('PEM client certificate for mutual TLS (with clientKeyFile)'),
      clientKeyFile: z.string().min(1).optional().describe('PEM private key of clientCertFile'),
    })
    .refine((tls) => !tls.clientCertFile === !tls.clientKeyFile, {
      message: 'clientCertFile and clientKeyFile go together: give both for mutual TLS, or neither',
    })
    .optional()
    .describe('connect over TLS (mutual TLS with a client certificate)'),
  // https://docs.temporal.io/cloud/api-keys: sent as "Authorization: Bearer <key>", over TLS only.
  apiKey: secretSource('TEMPORAL_API_KEY')
    .optional()
    .describe('API key for Temporal Cloud (turns TLS on); from the environment or a file, never the config'),
});

export const TableConfigSchema = z
  .strictObject({
    source: z
      .string()
      .min(1)
      .describe('schema.table on SQL Server, e.g. dbo.customers or [dbo].[order lines]'),
    target: z
      .string()
      .min(1)
      .optional()
      .describe(
        'table name in Snowflake, by its identifier rule (orders_v2 is ORDERS_V2, \'"Orders"\' stays exact); default derived from the source',
      ),
    keyColumns: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('overrides the primary key for batching'),
    filter: z
      .string()
      .min(1)
      .optional()
      .describe('one T-SQL condition selecting the rows to copy (no statements, no ";", no comments)'),
    excludeColumns: z.array(z.string().min(1)).optional().describe('columns left out of the copy'),
    sensitiveColumns: z
      .array(z.string().min(1))
      .optional()
      .describe('columns whose values reports never show (differences are reported masked)'),
    allowMaskedOrFiltered: z
      .boolean()
      .optional()
      .describe(
        'copy the table although the source login reads masked values (no UNMASK) or only the rows a security policy lets it see; the report states it. Default: such a table is refused before any DDL',
      ),
  })
  .superRefine((table, ctx) => {
    // Per-table options belong to one table; the workflow input, which uses this schema too, is explicit.
    if (looksLikePattern(table.source))
      ctx.addIssue({
        code: 'custom',
        path: ['source'],
        message: `${table.source} is a pattern, and a pattern takes no per-table options: write it as a plain string, and list each table that needs options as its own entry (it wins over the pattern)`,
      });
    // Refused here so that a hostile filter never reaches SQL Server, not even in `plan` or `check`.
    const problem = table.filter === undefined ? undefined : invalidFilterMessage(table.source, table.filter);
    if (problem) ctx.addIssue({ code: 'custom', path: ['filter'], message: problem });
  });

/** A table name or a pattern (`dbo.*`): checked to be a name, matched when a command resolves it. */
const namePattern = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    try {
      splitNameParts(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });

/**
 * What validation does about rows written on the source after their batch was copied, found by reading
 * every source row again and comparing it with the staging table (src/comparison/compare-content.ts).
 */
export const SOURCE_CHANGE_POLICIES = ['fail', 'warn', 'off'] as const;

/** Row-level content validation: how many differing rows a run tolerates and how many it reports. */
export const ValidationConfigSchema = z.strictObject({
  toleratedDifferences: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('differing rows a table may have and still be published (they are always reported)'),
  maxReportedDifferences: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(20)
    .describe('differing rows named in the report per table, with key, column and both values'),
  sourceChanges: z
    .enum(SOURCE_CHANGE_POLICIES)
    .default('fail')
    .describe(
      'rows inserted, updated or deleted on the source after their batch was copied, found at validation by reading the source again: fail the table, warn and publish what was copied, or do not look (off)',
    ),
});

export const LOAD_METHODS = ['copy', 'insert'] as const;
/** How the source is read: SQL Server's default, or one SNAPSHOT transaction per batch and per validation. */
export const SOURCE_READ_ISOLATIONS = ['readCommitted', 'snapshot'] as const;
export type SourceReadIsolation = (typeof SOURCE_READ_ISOLATIONS)[number];
export const IF_TARGET_EXISTS = ['fail', 'replace', 'append'] as const;
/** snapshot: copy each table once; follow: then apply SQL Server's tracked changes until cutover. */
export const MIGRATION_MODES = ['snapshot', 'follow'] as const;
export type MigrationMode = (typeof MIGRATION_MODES)[number];

export const MigrationConfigSchema = z
  .strictObject({
    tables: z
      .array(
        z.union([
          z
            .string()
            .min(1)
            .transform((text): TableSelector =>
              looksLikePattern(text) ? { pattern: text } : { source: text },
            ),
          TableConfigSchema,
          // The parsed form of a pattern, so that a loaded config written back out loads again.
          z.strictObject({ pattern: namePattern }),
        ]),
      )
      .min(1)
      .default((): TableSelector[] => [{ source: 'dbo.customers' }, { source: 'dbo.orders' }])
      .describe(
        'tables (schema.table, with per-table options) and patterns (dbo.*, sales.Order*, *.*), matched case-insensitively',
      ),
    exclude: z
      .array(namePattern)
      .default([])
      .describe('tables or patterns left out of what the patterns in tables match'),
    batchSize: z.number().int().min(1).max(10_000_000).default(50_000),
    batchesInFlight: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe('batches of one table copied at once'),
    tablesInFlight: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(2)
      .describe('tables migrated at once, each by a child workflow; their batches share the workers'),
    allOrNothing: z
      .boolean()
      .default(false)
      .describe(
        'true: one failing table rolls back every table of the run; false: it is rolled back alone and the others are published',
      ),
    loadMethod: z.enum(LOAD_METHODS).default('copy'),
    sourceReadIsolation: z
      .enum(SOURCE_READ_ISOLATIONS)
      .default('readCommitted')
      .describe(
        'snapshot: each batch, and each validation, reads the source in one SNAPSHOT transaction (needs ALLOW_SNAPSHOT_ISOLATION ON)',
      ),
    ifTargetExists: z.enum(IF_TARGET_EXISTS).default('fail'),
    metadataColumns: z
      .strictObject({
        isMigrated: z.string().min(1).default('IS_MIGRATED'),
        migratedAt: z.string().min(1).default('MIGRATED_AT'),
      })
      .default({ isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' }),
    heartbeatTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
    outageToleranceMinutes: z
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(60)
      .describe('how long a step waits for an unreachable SQL Server or Snowflake before the run fails'),
    validation: ValidationConfigSchema.default(ValidationConfigSchema.parse({})),
    mode: z
      .enum(MIGRATION_MODES)
      .default('snapshot')
      .describe(
        "snapshot: copy each table once; follow: after the copy, apply the source's changes (SQL Server Change Tracking) to the published table until `migrate cutover`",
      ),
    follow: z
      .strictObject({
        intervalSeconds: z
          .number()
          .int()
          .min(1)
          .max(24 * 3600)
          .default(30)
          .describe('seconds between two rounds of reading and applying the changes (mode: follow)'),
      })
      .default({ intervalSeconds: 30 }),
  })
  .superRefine((migration, ctx) => {
    // Following deletes and re-inserts rows by key in the target: rows appended to an existing table
    // would be mixed with the ones it held.
    if (migration.mode === 'follow' && migration.ifTargetExists === 'append')
      ctx.addIssue({
        code: 'custom',
        path: ['ifTargetExists'],
        message:
          'mode: follow needs ifTargetExists fail or replace (append is not supported while following)',
      });
  });

/** host:port, as the Prometheus exporter and node:http bind it (`0.0.0.0:9464`, `127.0.0.1:8080`, `[::]:9464`). */
const BindAddressSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 0.0.0.0:9464');

export const WorkerMetricsConfigSchema = z.strictObject({
  bindAddress: BindAddressSchema.optional().describe(
    "host:port of the Prometheus endpoint (GET /metrics) with the SDK's and the migrator's metrics; off when absent",
  ),
  maxTableLabels: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(100)
    .describe(
      'tables with a `table` label of their own per worker process; later tables count as table="other"',
    ),
});

export const WorkerHealthConfigSchema = z.strictObject({
  bindAddress: BindAddressSchema.optional().describe(
    'host:port of the health endpoint (GET /healthz: 200 while the worker polls Temporal, else 503); off when absent',
  ),
});

/**
 * OpenTelemetry traces (README: Running it in production, Traces). The endpoint is a base URL, as
 * OTEL_EXPORTER_OTLP_ENDPOINT is (https://opentelemetry.io/docs/specs/otel/protocol/exporter/): spans go to
 * <endpoint>/v1/traces over OTLP/HTTP. Headers a collector wants (an API key) come from the environment,
 * OTEL_EXPORTER_OTLP_HEADERS, never from this file.
 */
export const WorkerTracingConfigSchema = z.strictObject({
  otlpEndpoint: z
    .url({
      protocol: /^https?$/,
      error: 'expected the http(s) base URL of an OTLP/HTTP collector, e.g. http://otel-collector:4318',
    })
    .optional()
    .describe(
      'base URL of an OTLP/HTTP collector (http://otel-collector:4318): spans of workflows and activities go to <url>/v1/traces; off when absent',
    ),
});

export const WorkerConfigSchema = z.strictObject({
  maxConcurrentActivities: z.number().int().min(1).max(256).default(8),
  shutdownGraceSeconds: z.number().int().min(0).max(3600).default(30),
  workDir: z.string().min(1).optional().describe('folder for batch files; default the system temp folder'),
  reportsDir: z.string().min(1).default('reports'),
  workflowBundle: z
    .string()
    .min(1)
    .optional()
    .describe('prebuilt workflow bundle (npm run build:workflows); default: bundle the workflows at start'),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  heapGrowthPercent: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(50)
    .describe(
      "how far the worker process's heap may grow past what its last garbage collection kept, in percent: " +
        'lower holds less memory and spends more CPU collecting; 0 leaves it to V8 (README: Performance, Memory)',
    ),
  metrics: WorkerMetricsConfigSchema.default(WorkerMetricsConfigSchema.parse({})),
  health: WorkerHealthConfigSchema.default(WorkerHealthConfigSchema.parse({})),
  tracing: WorkerTracingConfigSchema.default(WorkerTracingConfigSchema.parse({})),
  temporalLossExitSeconds: z
    .number()
    .min(0)
    .max(24 * 3600)
    .default(300)
    .describe(
      'the worker exits (code 3) when it has not reached Temporal for this long, for its supervisor to restart it; 0: never',
    ),
});

export const MigratorConfigSchema = z
  .strictObject({
    source: SourceConfigSchema,
    target: TargetConfigSchema,
    temporal: TemporalConfigSchema.default(TemporalConfigSchema.parse({})),
    migration: MigrationConfigSchema.default(MigrationConfigSchema.parse({})),
    worker: WorkerConfigSchema.default(WorkerConfigSchema.parse({})),
  })
  .superRefine(({ migration, target }, ctx) => {
    // Here, not in migration: whether two entries' targets clash depends on target.schemas.
    const clash = targetNameClash(
      migration.tables.map((t) => (isPattern(t) ? {} : t)),
      target.schemas,
    );
    if (clash)
      ctx.addIssue({
        code: 'custom',
        path: ['migration', 'tables', clash.index, 'target'],
        message: clash.message,
      });
  });

export type MigratorConfig = z.infer<typeof MigratorConfigSchema>;
export type SourceConfig = z.infer<typeof SourceConfigSchema>;
export type TargetConfig = z.infer<typeof TargetConfigSchema>;
export type TemporalConfig = z.infer<typeof TemporalConfigSchema>;
export type MigrationConfig = z.infer<typeof MigrationConfigSchema>;
export type TableConfig = z.infer<typeof TableConfigSchema>;
/** An entry of `migration.tables`: a table (with its options) or a pattern. */
export type TableSelector = TableConfig | TablePattern;
export type ValidationConfig = z.infer<typeof ValidationConfigSchema>;
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;
export type SecretSource = z.infer<ReturnType<typeof secretSource>>;
