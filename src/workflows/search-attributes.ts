/**
 * The custom search attributes a migration run sets, so runs are easy to find in the Temporal Web UI
 * (for example `MigrationStatus = "failed"`). The dev server started by tests and by the demo registers
 * them; docker-compose.temporal.yml registers them on its server.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const MIGRATION_STATUS = defineSearchAttributeKey('MigrationStatus', SearchAttributeType.KEYWORD);
export const MIGRATION_TABLES = defineSearchAttributeKey('MigrationTables', SearchAttributeType.KEYWORD_LIST);
export const MIGRATION_TARGET = defineSearchAttributeKey('MigrationTarget', SearchAttributeType.KEYWORD);
export const MIGRATION_ROWS_COPIED = defineSearchAttributeKey('MigrationRowsCopied', SearchAttributeType.INT);

export const MIGRATION_SEARCH_ATTRIBUTES = [
  MIGRATION_STATUS,
  MIGRATION_TABLES,
  MIGRATION_TARGET,
  MIGRATION_ROWS_COPIED,
] as const;
