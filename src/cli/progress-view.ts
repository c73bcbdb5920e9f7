/**
 * Live progress of a run: one progress bar per table on a terminal, a plain line whenever something
 * changed (at most every few seconds) when the output is a log or a pipe.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { RunProgress } from '../workflows/messages';

export interface ProgressView {
  update(progress: RunProgress): void;
  stop(): void;
}

export function createProgressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  return stream.isTTY ? barsView(stream) : linesView(stream);
}

function barsView(stream: NodeJS.WriteStream): ProgressView {
  const multibar = new MultiBar(
    {
      stream,
      clearOnComplete: false,
      hideCursor: true,
      format: ' {table} |{bar}| {percentage}% | {rows} rows | {batches} batches | {rate} rows/s | {state}',
      formatValue: (value, _options, type) =>
        type === 'value' || type === 'total' ? value.toLocaleString('en-US') : String(value),
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  let width = 0;
  return {
    update(progress) {
      width = Math.max(width, ...progress.tables.map((t) => t.source.length));
      for (const t of progress.tables) {
        const total = Math.max(t.rowsEstimated, t.rowsCopied, 1);
        const payload = {
          table: t.source.padEnd(width),
          rows: t.rowsCopied.toLocaleString('en-US'),
          batches: `${t.batchesDone}/${Math.max(t.batchesPlanned, t.batchesEstimated)}`,
          rate: t.rowsPerSecond.toLocaleString('en-US'),
          state: progress.paused && t.state === 'copying' ? 'paused' : t.state,
        };
        const bar = bars.get(t.source) ?? multibar.create(total, 0, payload);
        bars.set(t.source, bar);
        bar.setTotal(total);
        bar.update(t.rowsCopied, payload);
      }
    },
    stop: () => multibar.stop(),
  };
}

function linesView(stream: NodeJS.WriteStream, everyMs = 5_000): ProgressView {
  let last = '';
  let lastAt = 0;
  return {
    update(progress) {
      const now = Date.now();
      if (progress.line === last || now - lastAt < everyMs) return;
      last = progress.line;
      lastAt = now;
      stream.write(`${new Date(now).toISOString()} ${progress.line}\n`);
    },
    stop: () => undefined,
  };
}
