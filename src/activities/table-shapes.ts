/**
 * Batches need each table's column mappings, which are too large to pass through workflow history for
 * every batch. The worker derives them once per table from the catalog and checks the fingerprint the
 * workflow carries, so a table that changed shape during the run is refused instead of half-copied, and
 * its object id and creation time, so a table dropped and created again with the same columns is too.
 */
import { MigrationError } from '../contracts/errors';
import type { MetadataColumns } from '../contracts/run-input';
import type { TableTask } from '../contracts/table';
import { currentIdentity, inspectSourceTable, type InspectedTable } from '../source/inspect-source';
import type { SourceConnection } from '../sqlserver/pool';
import { displayTableName } from '../names/sqlserver-names';

export class TableShapes {
  private readonly cache = new Map<string, Promise<InspectedTable>>();

  constructor(private readonly source: SourceConnection) {}

  /**
   * The table's shape, derived once per worker; the catalog is read again at every call (a few catalog
   * queries, no rows), because the table may have been altered or re-created since the shape was cached,
   * and a batch read with an old mapping fails in Snowflake, or worse, loads the wrong thing.
   */
  async get(task: TableTask, metadataColumns: MetadataColumns): Promise<InspectedTable> {
    const key = JSON.stringify([
      task.source,
      task.keyColumns,
      task.excludeColumns,
      task.schemaFingerprint,
      metadataColumns,
    ]);
    let inspected = this.cache.get(key);
    const cached = inspected !== undefined;
    if (!inspected) {
      inspected = this.source.pool().then((pool) =>
        inspectSourceTable(
          pool,
          {
            source: task.source,
            keyColumns: task.keyColumns.length ? task.keyColumns : undefined,
            excludeColumns: task.excludeColumns,
          },
          metadataColumns,
        ),
      );
      this.cache.set(key, inspected);
      inspected.catch(() => this.cache.delete(key));
    }
    const table = await inspected;
    const now = cached
      ? await currentIdentity(await this.source.pool(), task.source)
      : { fingerprint: table.fingerprint, objectIdentity: table.catalog.objectIdentity };
    const name = displayTableName(task.source);
    const recreated = task.objectIdentity !== undefined && now.objectIdentity !== task.objectIdentity;
    if (now.fingerprint !== task.schemaFingerprint) {
      this.cache.delete(key);
      throw new MigrationError(
        'SourceSchemaChanged',
        `The columns of ${name} changed since the run analysed the table${recreated ? ' (it was dropped and created again)' : ''}.`,
      );
    }
    if (recreated) {
      this.cache.delete(key);
      throw new MigrationError(
        'SourceTableRecreated',
        `${name} was dropped and created again since the run analysed it (same columns; object ${task.objectIdentity} then, ${now.objectIdentity} now): ` +
          'the rows copied before and the rows read now may come from different tables.',
      );
    }
    return table;
  }
}
