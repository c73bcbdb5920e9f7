/** planBatches: the next key ranges of a table, as compact descriptors (key values as text). */
import type { PlanBatchesInput, PlanBatchesResult } from '../contracts/activities';
import { planKeyRanges } from '../sqlserver/boundaries';
import type { ActivityDeps } from './deps';
import { heartbeatWhile } from './heartbeat';

export function createPlanBatches(deps: ActivityDeps) {
  return async function planBatches(input: PlanBatchesInput): Promise<PlanBatchesResult> {
    const { shape } = await deps.shapes.get(input.task, input.metadataColumns);
    const pool = await deps.source.pool();
    let found = 0;
    const planning = planKeyRanges(
      pool,
      {
        table: input.task.source,
        keys: shape.keyColumns,
        filter: input.task.filter,
        batchSize: input.batchSize,
        after: input.after,
        firstIndex: input.firstIndex,
        maxBatches: input.maxBatches,
      },
      () => (found += 1),
    );
    // One boundary query can take long on a big table (OFFSET scans); the beat goes on meanwhile.
    return heartbeatWhile(planning, () => ({ boundariesFound: found }));
  };
}
