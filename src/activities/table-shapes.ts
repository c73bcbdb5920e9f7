/**
 * Batches need each table's column mappings, which are too large to pass through workflow history for
 * every batch. The worker derives them once per table from the catalog and checks the fingerprint the
 * workflow carries, so a table that changed shape during the run is refused instead of half-copied.
 */
import { MigrationError } from '../contracts/errors';
import type { MetadataColumns } from '../contracts/run';
import type { TableTask } from '../contracts/table';
import { inspectSourceTable, type InspectedTable } from '../migration/inspect-source';
import type { SourceConnection } from '../sqlserver/pool';
import { displayTableName } from '../sqlserver/sql';

export class TableShapes {
  private readonly cache = new Map<string, Promise<InspectedTable>>();

  constructor(private readonly source: SourceConnection) {}

  async get(task: TableTask, metadataColumns: MetadataColumns): Promise<InspectedTable> {
    const key = JSON.stringify([
      task.source,
      task.keyColumns,
      task.excludeColumns,
      task.schemaFingerprint,
      metadataColumns,
    ]);
    let inspected = this.cache.get(key);
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
    if (table.fingerprint !== task.schemaFingerprint) {
      this.cache.delete(key);
      throw new MigrationError(
        'SourceSchemaChanged',
        `The columns of ${displayTableName(task.source)} changed since the run analysed the table.`,
      );
    }
    return table;
  }
}
