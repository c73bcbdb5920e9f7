/** Reads a source table's catalog and derives its shape: used by analyzeTable, copyBatch and `plan`. */
import type { SourceTableRef } from '../contracts/table';
import { schemaFingerprint, shapeTable, type TableShape } from '../mapping/table-shape';
import { readChangeTrackingState } from '../sqlserver/change-tracking-reads';
import { readDescriptions, readTableCatalog, readShapeCheck, readUniqueKeys } from '../sqlserver/catalog';
import type { SourceDescriptions, SourceTableCatalog } from './catalog-facts';
import { carriedUniqueKeys, type CarriedUniqueKey } from '../mapping/unique-keys';
import type { FollowFacts } from '../follow/rules';
import type { SourcePool } from '../sqlserver/pool';
import { displayTableName } from '../names/sqlserver-names';

export interface SourceTableSpec {
  source: SourceTableRef;
  keyColumns?: string[];
  excludeColumns?: string[];
}

export interface InspectedTable {
  catalog: SourceTableCatalog;
  shape: TableShape;
  fingerprint: string;
  /** The source's UNIQUE constraints over copied columns: declared on the Snowflake table. */
  uniqueKeys: CarriedUniqueKey[];
  /** MS_Description of the table and its columns, carried as comments; or why they could not be read. */
  descriptions: SourceDescriptions | { unknown: string };
}

export async function inspectSourceTable(
  pool: SourcePool,
  spec: SourceTableSpec,
  metadataColumns: { isMigrated: string; migratedAt: string },
): Promise<InspectedTable> {
  const [catalog, uniqueKeys, descriptions] = await Promise.all([
    readTableCatalog(pool, spec.source),
    readUniqueKeys(pool, spec.source),
    readDescriptions(pool, spec.source),
  ]);
  const shape = shapeTable({
    tableName: displayTableName(spec.source),
    columns: catalog.columns,
    primaryKey: catalog.primaryKey,
    keyColumns: spec.keyColumns,
    excludeColumns: spec.excludeColumns,
    metadataColumns,
    defaults: catalog.defaults,
    identity: catalog.identity,
  });
  return {
    catalog,
    shape,
    fingerprint: schemaFingerprint(catalog.columns),
    uniqueKeys: carriedUniqueKeys(uniqueKeys, shape),
    descriptions,
  };
}

/** What a batch checks against the analysis, as the catalog has it now: one round trip, no rows. */
export async function currentIdentity(
  pool: SourcePool,
  source: SourceTableRef,
): Promise<{ fingerprint: string; objectIdentity: string }> {
  const catalog = await readShapeCheck(pool, source);
  return { fingerprint: schemaFingerprint(catalog.columns), objectIdentity: catalog.objectIdentity };
}

/** What mode follow needs to know of a table (src/follow/rules.ts decides what it means). */
export async function readFollowFacts(
  pool: SourcePool,
  database: string,
  table: SourceTableRef,
  shape: Pick<TableShape, 'keySource'>,
  filter: string | undefined,
): Promise<FollowFacts> {
  const state = await readChangeTrackingState(pool, table);
  return {
    database,
    table,
    keySource: shape.keySource,
    ...(filter !== undefined ? { filter } : {}),
    ...state,
  };
}
