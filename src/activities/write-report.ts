/**
 * writeReport: the run's report as JSON, Markdown and HTML in the reports folder; returns the paths.
 * The run hands over its compact table records; each table's details come from its child workflow.
 */
import { Context } from '@temporalio/activity';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { version as migratorVersion } from '../../package.json';
import type { RunResult, RunSummary } from '../contracts/outcomes';
import { withTableOutcomes } from '../outcomes/table-outcomes';
import { runSummary } from '../run-summary/records';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../load/work-dir';
import { reportDocument } from '../report/document';
import { renderHtml } from '../report/html';
import type { ReportOrigin } from '../run-summary/overview';
import { renderMarkdown } from '../report/render';
import type { ActivityDeps } from './deps';

/** Per run: runs of the same tables share their workflow id, and each keeps its report. */
export function reportFileStem(summary: Pick<RunSummary, 'workflowId' | 'runTag'>): string {
  return `${summary.workflowId}-${summary.runTag}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function createWriteReport(deps: ActivityDeps) {
  return async function writeReport(result: RunResult): Promise<string[]> {
    const summary = await withTableOutcomes(Context.current().client.workflow, runSummary(result), {
      unreadable: 'throw',
    });
    const folder = resolve(deps.reportsDir);
    await mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
    const stem = join(folder, reportFileStem(summary));
    const [json, markdown, html] = [`${stem}.json`, `${stem}.md`, `${stem}.html`];
    const files = [json, markdown, html];
    const origin: ReportOrigin = { migratorVersion, nodeVersion: process.version, host: hostname() };
    const mode = PRIVATE_FILE_MODE;
    const document = { ...reportDocument(summary, origin), reportFiles: files };
    await writeFile(json, `${JSON.stringify(document, null, 2)}\n`, { mode });
    await writeFile(markdown, renderMarkdown(summary), { mode });
    await writeFile(html, renderHtml(summary, origin), { mode });
    return files;
  };
}
