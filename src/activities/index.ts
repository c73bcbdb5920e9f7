import { createAnalyzeTable, createAnalyzeTables } from './analyze-table';
import { createApplyChanges } from './apply-changes';
import { createCopyBatch } from './copy-batch';
import { createDeclareForeignKeys } from './declare-foreign-keys';
import type { ActivityDeps } from './deps';
import { classifyingErrors } from './failures';
import { createPlanBatches } from './plan-batches';
import { createPrepareTable } from './prepare-table';
import { createPublishTable } from './publish-table';
import { createUndoStep } from './undo-step';
import { createValidateTable } from './validate-table';
import { createWorkerInfoActivities } from './worker-info';
import { createWriteReport } from './write-report';

export type { ActivityDeps } from './deps';

/** All activities, wired to what the worker created once (driver pools, folders). */
export function createActivities(deps: ActivityDeps) {
  return classifyingErrors({
    ...createWorkerInfoActivities(),
    analyzeTable: createAnalyzeTable(deps),
    analyzeTables: createAnalyzeTables(deps),
    prepareTable: createPrepareTable(deps),
    planBatches: createPlanBatches(deps),
    copyBatch: createCopyBatch(deps),
    validateTable: createValidateTable(deps),
    publishTable: createPublishTable(deps),
    declareForeignKeys: createDeclareForeignKeys(deps),
    applyChanges: createApplyChanges(deps),
    undoStep: createUndoStep(deps),
    writeReport: createWriteReport(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
