/**
 * The run's last step before its report: the source's foreign keys between the tables it published,
 * declared in Snowflake (activity declareForeignKeys). Declarations only, which Snowflake does not
 * enforce, so a failure here costs the declarations, not the published tables: it is reported as
 * clean-up left to do.
 */
import { patched } from '@temporalio/workflow';
import type { ForeignKeyOutcome } from '../../contracts/foreign-keys';
import type { MigrationRunInput } from '../../contracts/run-input';
import type { TableRecord } from '../../contracts/progress';
import type { StepOutcome } from '../../contracts/steps';
import { parseTableName } from '../../names/sqlserver-names';
import type { TableLabel } from '../../run-summary/records';
import { activitySummaries as summaries } from '../activity-summaries';
import { errorInfo, type ActivityProxies } from '../workflow-steps';

export const DECLARE_FOREIGN_KEYS_PATCH = 'declare-foreign-keys';

/** The published tables' source and Snowflake names. */
export function publishedTables(
  records: TableRecord[],
  configs: Pick<MigrationRunInput['tables'][number], 'source'>[],
  labels: TableLabel[],
) {
  return records.flatMap((record, i) =>
    record.state === 'published'
      ? [{ source: parseTableName(configs[i]!.source), target: labels[i]!.names.target }]
      : [],
  );
}

export async function declareForeignKeys(
  acts: ActivityProxies,
  tables: ReturnType<typeof publishedTables>,
): Promise<{ keys?: ForeignKeyOutcome[]; failure?: StepOutcome }> {
  // Histories recorded before this step existed replay without it.
  if (!patched(DECLARE_FOREIGN_KEYS_PATCH) || !tables.length) return {};
  try {
    const declared = await acts.quick.declareForeignKeys.executeWithOptions(
      { summary: summaries.declareForeignKeys(tables.length) },
      [{ tables }],
    );
    return { keys: declared.keys };
  } catch (err) {
    return {
      failure: {
        description: 'declare the foreign keys between the published tables',
        ok: false,
        error: errorInfo(err).message,
      },
    };
  }
}
