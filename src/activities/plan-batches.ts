/** planBatches: the next key ranges of a table, as compact descriptors (key values as text). */
import { Context } from '@temporalio/activity';
import type { PlanBatchesInput, PlanBatchesResult } from '../contracts/run';
import { planKeyRanges } from '../sqlserver/boundaries';
import type { ActivityDeps } from './deps';

export function createPlanBatches(deps: ActivityDeps) {
  return async function planBatches(input: PlanBatchesInput): Promise<PlanBatchesResult> {
    const { shape } = await deps.shapes.get(input.task, input.metadataColumns);
    const pool = await deps.source.pool();
    const context = Context.current();
    let found = 0;
    return planKeyRanges(
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
      () => context.heartbeat({ boundariesFound: ++found }),
    );
  };
}
