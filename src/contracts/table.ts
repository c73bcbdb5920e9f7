/**
 * What activities return about a table and what the workflow hands back to them: plain, compact data
 * (names, counts, key values as text), never rows.
 */
import { z } from 'zod';

export const SourceColumnSchema = z.object({
  name: z.string(),
  ordinal: z.number().int(),
  /** Base type name in lower case, as INFORMATION_SCHEMA.COLUMNS.DATA_TYPE gives it. */
  dataType: z.string(),
  /** Characters (bytes for binary); -1 for (max). */
  charMaxLength: z.number().int().nullable(),
  numericPrecision: z.number().int().nullable(),
  numericScale: z.number().int().nullable(),
  datetimePrecision: z.number().int().nullable(),
  nullable: z.boolean(),
  isIdentity: z.boolean(),
  isComputed: z.boolean(),
  /** Collation of a character column (INFORMATION_SCHEMA.COLUMNS.COLLATION_NAME); absent otherwise. */
  collation: z.string().optional(),
});
export type SourceColumn = z.infer<typeof SourceColumnSchema>;

export const SourceTableRefSchema = z.object({ schema: z.string(), table: z.string() });
export type SourceTableRef = z.infer<typeof SourceTableRefSchema>;

/** A Snowflake object's three name parts, each exactly as stored (case kept; quoted when used). */
export const SnowflakeNameSchema = z.object({ database: z.string(), schema: z.string(), name: z.string() });
export type SnowflakeName = z.infer<typeof SnowflakeNameSchema>;

/** What every activity needs to act on one table of a run. */
export const TableTaskSchema = z.object({
  index: z.number().int().min(0),
  source: SourceTableRefSchema,
  filter: z.string().optional(),
  excludeColumns: z.array(z.string()).default([]),
  /** Columns whose values reports mask (source names). */
  sensitiveColumns: z.array(z.string()).optional(),
  /** Columns that order and bound batches (source names); empty: the table is copied in one pass. */
  keyColumns: z.array(z.string()),
  /** Whether keyColumns are the source's primary key, declared on the Snowflake table too. */
  declarePrimaryKey: z.boolean(),
  target: SnowflakeNameSchema,
  /** Where batches are loaded before the table is published under its target name. */
  staging: SnowflakeNameSchema,
  /** Where a replaced table's old rows wait until the run succeeds (ifTargetExists: replace). */
  replaced: SnowflakeNameSchema,
  /** Stage folder for this table's batch files: @<stage>/<stagePath>. */
  stagePath: z.string(),
  /** Hash of the analysed columns: a batch refuses to run if the source table changed shape since. */
  schemaFingerprint: z.string(),
  /**
   * The analysed table's object_id and create_date: a batch refuses to run if the table was dropped and
   * created again since, even with the same columns. Absent in runs started before it existed.
   */
  objectIdentity: z.string().optional(),
  /** The identity sequences' names (src/names/target-names.ts); absent in runs started before them. */
  identitySequence: SnowflakeNameSchema.optional(),
  identityPlaceholder: SnowflakeNameSchema.optional(),
  /**
   * The copied identity column carried as a Snowflake sequence default: its Snowflake name, SQL Server's
   * seed and increment (decimal text), and when the sequence continuing after the highest copied value is
   * created: at publication, or (mode follow, where rows keep arriving) at cutover.
   */
  identity: z
    .object({
      column: z.string(),
      seed: z.string(),
      increment: z.string(),
      setAt: z.enum(['publish', 'cutover']),
    })
    .optional(),
});
export type TableTask = z.infer<typeof TableTaskSchema>;

/** What holds a run's tables and files in Snowflake, outermost first. */
export const TARGET_CONTAINERS = ['database', 'schema', 'stage'] as const;
export type TargetContainer = (typeof TARGET_CONTAINERS)[number];

/**
 * Where a run's tables land: `single`, every table in the target schema; `perSource`, each table in a
 * Snowflake schema named after its source schema (the stage stays in the target schema).
 */
export const TARGET_SCHEMA_MODES = ['single', 'perSource'] as const;
export type TargetSchemaMode = (typeof TARGET_SCHEMA_MODES)[number];

export const TablePlanSchema = z.object({
  task: TableTaskSchema,
  columnCount: z.number().int(),
  rowCountEstimate: z.number().int(),
  keySource: z.enum(['primaryKey', 'config', 'none']),
  targetExists: z.boolean(),
  /** The outermost container the run will create (missing before any DDL): dropped if the run fails. */
  creates: z.enum(TARGET_CONTAINERS).optional(),
  /** target.schemas perSource: the table's own schema, when missing before any DDL (the run creates it). */
  createsSchema: z.string().optional(),
  warnings: z.array(z.string()),
  /** mode follow: CHANGE_TRACKING_CURRENT_VERSION() read before the first batch (decimal text). */
  followFrom: z.string().optional(),
});
export type TablePlan = z.infer<typeof TablePlanSchema>;

/**
 * What a table's analysis read from the catalogs that its plan keeps: the key, the columns' fingerprint
 * and the table's object identity, its identity column (if carried), the column count, whether the target
 * existed. The run's preflight hands them
 * to the table's child, which builds its plan from them instead of reading them again
 * (src/selection/table-plan.ts). Names and a few short strings: never row data.
 */
export const CatalogFactsSchema = TablePlanSchema.pick({
  keySource: true,
  columnCount: true,
  targetExists: true,
}).extend(
  TableTaskSchema.pick({ keyColumns: true, schemaFingerprint: true, objectIdentity: true, identity: true })
    .shape,
);
export type CatalogFacts = z.infer<typeof CatalogFactsSchema>;

/** Everything of a plan that its table's analysis found: the catalog facts, the row estimate, the warnings. */
export const AnalysedFactsSchema = CatalogFactsSchema.extend(
  TablePlanSchema.pick({ rowCountEstimate: true, warnings: true }).shape,
);
export type AnalysedFacts = z.infer<typeof AnalysedFactsSchema>;

/**
 * A key range (lower, upper]: key values as SQL Server's text, compared by SQL Server only.
 * `lower: null` starts at the first row; `upper: null` runs to the last.
 */
export const BatchRangeSchema = z.object({
  index: z.number().int().min(0),
  lower: z.array(z.string()).nullable(),
  upper: z.array(z.string()).nullable(),
});
export type BatchRange = z.infer<typeof BatchRangeSchema>;
