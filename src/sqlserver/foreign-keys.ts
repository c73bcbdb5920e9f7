/**
 * Reads the source database's foreign keys (FOREIGN_KEYS_QUERY: sys.foreign_keys and
 * sys.foreign_key_columns, which pair each column with the one it references; the pages are cited
 * there) and groups them (groupForeignKeys, pure). A key that references a unique index rather than a
 * PRIMARY KEY or UNIQUE constraint comes back with `referenced: null`, and is listed as not carried.
 */
import { groupForeignKeys, type ForeignKeyRow, type SourceForeignKey } from '../mapping/foreign-keys';
import type { SourceReader } from './read-transaction';
import { FOREIGN_KEYS_QUERY } from '../sql/sqlserver/catalog-queries';
import { queryRows } from './query';

export async function readForeignKeys(reader: SourceReader): Promise<SourceForeignKey[]> {
  return groupForeignKeys(await queryRows<ForeignKeyRow>(reader, { text: FOREIGN_KEYS_QUERY, params: {} }));
}
