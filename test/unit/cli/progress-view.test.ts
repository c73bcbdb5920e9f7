import { Writable } from 'node:stream';
import { createProgressView } from '../../../src/cli/progress-view';
import type { RunProgress } from '../../../src/workflows/messages';

/** A stream that says it is a terminal, as process.stderr does in a shell. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 120 });
  return { stream, text: () => text };
}

const progress: RunProgress = {
  status: 'running',
  paused: false,
  startedAt: 0,
  now: 1_000,
  line: 'copying',
  tables: [
    {
      source: 'dbo.orders',
      target: 'STEVE_MCP.DATA_MIGRATION.ORDERS',
      state: 'copying',
      batchesDone: 1,
      batchesPlanned: 4,
      batchesEstimated: 4,
      rowsCopied: 100,
      rowsEstimated: 400,
      bytesCopied: 0,
      retriedBatches: 0,
      warnings: [],
      rowsPerSecond: 100,
    },
  ],
};

it('the progress bars hide the cursor while they draw and show it again when stopped, as watching does on Ctrl-C', () => {
  const terminal = fakeTerminal();
  const view = createProgressView(terminal.stream);
  view.update(progress);
  expect(terminal.text()).toContain('\x1B[?25l');
  expect(terminal.text()).not.toContain('\x1B[?25h');
  view.stop();
  expect(terminal.text().lastIndexOf('\x1B[?25h')).toBeGreaterThan(terminal.text().lastIndexOf('\x1B[?25l'));
});
