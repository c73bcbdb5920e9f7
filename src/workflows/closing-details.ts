/**
 * What the Temporal Web UI shows of a run that has ended. The UI puts the failure's message first (the
 * Result panel, the failed event), so that message carries the hint; and the run's current details,
 * which showed its progress, say how it ended, what to do and what was rolled back. Pure.
 */
import type { ErrorInfo } from '../contracts/progress';
import type { StepOutcome } from '../contracts/steps';
import type { RunSummary } from '../contracts/outcomes';
import { overviewLine } from '../run-summary/overview';

export function failureMessage(error: ErrorInfo): string {
  return error.hint ? `${error.message}\nWhat to do: ${error.hint}` : error.message;
}

/** A titled Markdown list of undo or clean-up steps and how each went. */
function stepList(title: string, steps: StepOutcome[]): string {
  const lines = steps.map(
    (step) =>
      `- ${step.description}: ${step.ok ? `done${step.note ? ` (${step.note})` : ''}` : `FAILED (${step.error ?? 'unknown error'})`}`,
  );
  return `${title}\n\n${lines.join('\n')}`;
}

/**
 * The current details of an ended run. The UI renders them as Markdown in a frame of fixed height, so the
 * most important come first; a list needs a blank line before it there.
 */
export function closingDetails(summary: RunSummary): string {
  const parts = [overviewLine(summary)];
  if (summary.error?.hint) parts.push(`What to do: ${summary.error.hint}`);
  if (summary.rolledBack.length)
    parts.push(stepList('Rolled back (undo steps, last created first):', summary.rolledBack));
  if (summary.cleanupFailures.length)
    parts.push(stepList('Left to remove by hand:', summary.cleanupFailures));
  const html = summary.reportFiles?.find((file) => file.endsWith('.html'));
  if (html) parts.push(`Report (on the worker, beside its .json and .md): ${html}`);
  return parts.join('\n\n');
}
