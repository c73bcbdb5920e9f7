/**
 * Live progress of a run: on a terminal an overall bar and one bar per table, redrawn in place (see
 * progress-format.ts for what they say); when the output is a log or a pipe, a plain line whenever
 * something changed (at most every few seconds).
 */
import { formatDuration } from '../run-summary/overview';
import type { RunProgress } from '../workflows/messages';
import { overall, progressLines, useColour } from './progress-format';

export interface ProgressView {
  update(progress: RunProgress): void;
  stop(): void;
}

export function createProgressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  return stream.isTTY ? barsView(stream) : linesView(stream);
}

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

function barsView(stream: NodeJS.WriteStream): ProgressView {
  let drawn = 0;
  let frame = 0;
  return {
    update(progress) {
      const style = { width: stream.columns || 80, colour: useColour(stream, process.env), frame: frame++ };
      const lines = progressLines(progress, style);
      // Back to the first line drawn last time, and clear below: the number of lines may change.
      const back = drawn ? `\x1b[${drawn}A\r\x1b[J` : HIDE_CURSOR;
      stream.write(`${back}${lines.join('\n')}\n`);
      drawn = lines.length;
    },
    stop: () => {
      if (drawn) stream.write(SHOW_CURSOR);
      drawn = 0;
    },
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
      const { elapsedMs, etaMs } = overall(progress);
      const eta = etaMs === undefined || progress.paused ? '' : `, ETA ${formatDuration(etaMs)}`;
      stream.write(
        `${new Date(now).toISOString()} ${progress.line} (elapsed ${formatDuration(elapsedMs)}${eta})\n`,
      );
    },
    stop: () => undefined,
  };
}
