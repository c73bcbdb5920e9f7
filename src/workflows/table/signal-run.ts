/** What a table's child tells its run by signal (the run's handlers are in src/workflows/run/handlers.ts). */
import { getExternalWorkflowHandle, workflowInfo, type SignalDefinition } from '@temporalio/workflow';

/**
 * Signals the run this table's child belongs to, and waits until Temporal has delivered it
 * (https://typescript.temporal.io/api/interfaces/workflow.ExternalWorkflowHandle#signal). A table
 * without a run has no one to tell; a run that has ended meanwhile (terminated) has nothing left to
 * learn, so a signal it cannot take is dropped.
 */
export async function signalRun<Args extends unknown[]>(
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  await getExternalWorkflowHandle(parent.workflowId)
    .signal(signal, ...args)
    .catch(() => undefined);
}
