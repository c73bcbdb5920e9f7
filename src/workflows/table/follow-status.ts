/** How a followed table shows whether it follows: its own search attribute, and a signal to its run. */
import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { TableFollowing } from '../../contracts/outcomes';
import { tableFollowingSignal } from '../messages';
import { MIGRATION_STATUS } from '../search-attributes';
import { signalRun } from './signal-run';

/**
 * A followed table's own `MigrationStatus` (the run's stays `running` until cutover): `following`
 * while it follows, `running` while it is copied again, `cut over` at the end, so
 * `MigrationStatus = "following"` finds the tables that follow now; continue-as-new carries it over
 * (https://docs.temporal.io/search-attribute). Histories recorded before did not upsert it, and
 * replay without.
 */
export function followStatus(status: 'following' | 'running' | 'cut over' | 'failed'): void {
  if (patched('follow-search-attribute')) upsertSearchAttributes([{ key: MIGRATION_STATUS, value: status }]);
}

/**
 * Tells the run whether this table follows now, so the run's own `MigrationStatus` can say
 * `following` once all its tables do (the run cannot ask its children). Sent when that changes only,
 * not again after a continue-as-new, so the run's history grows by two events per copy at most.
 * Histories recorded before sent nothing, and replay without.
 */
export async function tellRun(index: number, isFollowing: boolean): Promise<void> {
  // The run may have ended meanwhile (cancelled): signalRun drops what it cannot take.
  if (!workflowInfo().parent || !patched('run-following-status')) return;
  const signal: TableFollowing = { index, following: isFollowing };
  await signalRun(tableFollowingSignal, signal);
}
