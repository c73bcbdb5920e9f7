/**
 * Replay of recorded workflow histories against the current workflow code: a change that breaks
 * determinism (reordered commands, a new activity call without patching) fails here, not in production.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from './temporal';

export const HISTORY_FIXTURES = join(__dirname, '..', 'fixtures', 'histories');

type History = temporal.api.history.v1.IHistory;

export async function replayOrThrow(histories: { workflowId: string; history: History }[]): Promise<number> {
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, histories)) {
    if (result.error) throw new Error(`replay of ${result.workflowId} failed: ${result.error.message}`);
    replayed += 1;
  }
  return replayed;
}

export function loadRecordedHistories(): { workflowId: string; history: History }[] {
  return readdirSync(HISTORY_FIXTURES)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({
      workflowId: name.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORY_FIXTURES, name), 'utf8'))),
    }));
}

/**
 * With UPDATE_HISTORY_FIXTURES=1, a test saves the history it just produced as a fixture, in the JSON
 * form of `temporal workflow show --output json`. (historyToJSON needs one protobufjs 8 copy in
 * node_modules: package.json pins it at the top level for that reason.)
 */
export function maybeRecordHistory(name: string, history: History): void {
  if (process.env.UPDATE_HISTORY_FIXTURES !== '1') return;
  mkdirSync(HISTORY_FIXTURES, { recursive: true });
  writeFileSync(join(HISTORY_FIXTURES, `${name}.json`), historyToJSON(history as never));
}
