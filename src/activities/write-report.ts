/** writeReport: the run's report as JSON and Markdown in the reports folder; returns the two paths. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunSummary } from '../contracts/run';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../migration/work-dir';
import { renderMarkdown } from '../report/render';
import type { ActivityDeps } from './deps';

export function reportFileStem(workflowId: string): string {
  return workflowId.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function createWriteReport(deps: ActivityDeps) {
  return async function writeReport(summary: RunSummary): Promise<string[]> {
    const folder = resolve(deps.reportsDir);
    await mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
    const stem = join(folder, reportFileStem(summary.workflowId));
    const files = [`${stem}.json`, `${stem}.md`];
    const mode = PRIVATE_FILE_MODE;
    await writeFile(files[0]!, `${JSON.stringify({ ...summary, reportFiles: files }, null, 2)}\n`, { mode });
    await writeFile(files[1]!, renderMarkdown(summary), { mode });
    return files;
  };
}
