/** Names of everything a run creates in Snowflake for one table. Pure. */
import type { SnowflakeName, SourceTableRef } from '../contracts/table';
import { snowflakeNameFor } from '../snowflake/sql';

export interface TableNames {
  target: SnowflakeName;
  staging: SnowflakeName;
  replaced: SnowflakeName;
  stagePath: string;
}

export function tableNames(options: {
  index: number;
  runTag: string;
  source: SourceTableRef;
  targetOverride?: string;
  database: string;
  schema: string;
}): TableNames {
  const name = options.targetOverride ?? snowflakeNameFor(options.source.table);
  const tag = options.runTag.toUpperCase();
  const at = (n: string): SnowflakeName => ({ database: options.database, schema: options.schema, name: n });
  return {
    target: at(name),
    staging: at(`${name}__MIGRATING_${tag}`),
    replaced: at(`${name}__REPLACED_${tag}`),
    stagePath: `${options.runTag}/t${options.index}`,
  };
}
