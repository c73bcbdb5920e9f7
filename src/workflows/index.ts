// Every workflow the worker registers. Workflow code is bundled by webpack and runs in Temporal's
// deterministic sandbox: import only @temporalio/workflow, types and pure helpers here.
export { migrateTable } from './migrate-table';
export { migrateTables } from './migrate-tables';
export { pingWorker } from './ping-worker';
