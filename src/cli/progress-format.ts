/**
 * What the live progress display says, as pure functions of the progress query's answer: the overall
 * bar with elapsed time, ETA and rate, and a line per table. Times are the workflow's (`progress.now`),
 * the clock the tables' times were taken with; paused time counts in neither rates nor estimates.
 */
import type { TableProgress } from '../contracts/progress';
import { formatDuration, formatNumber } from '../run-summary/overview';
import type { RunProgress } from '../workflows/messages';
import { followDetail } from '../workflows/run-state';
import { pausedMs, rowsPerSecond } from '../run-summary/figures';

export interface ProgressStyle {
  /** Terminal columns; every line fits in them. */
  width: number;
  colour: boolean;
  /** Animation frame, for the spinner while the tables are analysed. */
  frame: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const COLOURS = { green: 32, red: 31, yellow: 33, dim: 2 } as const;
type Colour = keyof typeof COLOURS;

const paint = (style: ProgressStyle, colour: Colour, text: string) =>
  style.colour ? `\x1b[${COLOURS[colour]}m${text}\x1b[0m` : text;

/** Rows the table will have: the estimate while it copies, what was copied once copying is over. */
export function tableTotalRows(t: TableProgress): number {
  const copied = ['validating', 'publishing', 'published', 'following'].includes(t.state);
  return copied ? t.rowsCopied : Math.max(t.rowsEstimated, t.rowsCopied);
}

export interface Overall {
  rowsCopied: number;
  rowsTotal: number;
  fraction: number;
  elapsedMs: number;
  /** Rows per second over the unpaused time. */
  rate: number;
  /** Undefined while there is no rate to estimate from, or nothing is left. */
  etaMs: number | undefined;
}

export function overall(progress: RunProgress): Overall {
  const rowsCopied = progress.tables.reduce((sum, t) => sum + t.rowsCopied, 0);
  const rowsTotal = progress.tables.reduce((sum, t) => sum + tableTotalRows(t), 0);
  const elapsedMs = progress.now - progress.startedAt;
  const activeSeconds = (elapsedMs - pausedMs(progress.pauses, progress.startedAt, progress.now)) / 1000;
  const rate = activeSeconds > 0 ? Math.round(rowsCopied / activeSeconds) : 0;
  const left = rowsTotal - rowsCopied;
  return {
    rowsCopied,
    rowsTotal,
    fraction: rowsTotal ? Math.min(1, rowsCopied / rowsTotal) : 0,
    elapsedMs,
    rate,
    etaMs: rate > 0 && left > 0 ? (left / rate) * 1000 : undefined,
  };
}

export function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** Cuts a line to the terminal's width (colour codes take no columns). */
export function fit(line: string, width: number): string {
  // eslint-disable-next-line no-control-regex -- colour codes start with ESC
  const visible = line.replace(/\x1b\[[0-9;]*m/g, '');
  if (visible.length <= width) return line;
  return `${visible.slice(0, Math.max(0, width - 1))}…`;
}

const percent = (fraction: number) => `${Math.floor(fraction * 100)}%`.padStart(4);

/** Every line's bar has the same width: what the terminal leaves beside the names and figures. */
const barWidth = (style: ProgressStyle, nameWidth: number) =>
  Math.max(10, Math.min(40, style.width - nameWidth - 75));

function withBar(
  style: ProgressStyle,
  nameWidth: number,
  head: string,
  fraction: number,
  tail: string,
  colour?: Colour,
): string {
  const drawn = bar(fraction, barWidth(style, nameWidth));
  return fit(`${head} ${colour ? paint(style, colour, drawn) : drawn} ${tail}`, style.width);
}

function tableLine(t: TableProgress, progress: RunProgress, nameWidth: number, style: ProgressStyle): string {
  const name = t.source.padEnd(nameWidth);
  if (t.state === 'failed' || t.state === 'rolled back') {
    const copied = `${formatNumber(t.rowsCopied)} rows copied`;
    return fit(
      `${name} ${paint(style, 'red', `✗ ${t.state}`)}  ${copied}${t.error ? `: ${t.error.message}` : ''}`,
      style.width,
    );
  }
  if (t.state === 'following' && t.follow) {
    return fit(
      `${name} ${paint(style, 'green', '↻ following')}  ${followDetail(t.follow, progress.now)}`,
      style.width,
    );
  }
  const total = tableTotalRows(t);
  const fraction = t.state === 'published' ? 1 : total ? t.rowsCopied / total : 0;
  const state = progress.paused && t.state === 'copying' ? 'paused' : t.state;
  const batches = `${t.batchesDone}/${Math.max(t.batchesPlanned, t.batchesEstimated)} batches`;
  const rate =
    t.state === 'pending' ? '' : `  ${formatNumber(rowsPerSecond(t, progress.now, progress.pauses))} rows/s`;
  const tail = `${percent(fraction)}  ${formatNumber(t.rowsCopied)}/${formatNumber(total)} rows  ${batches}${rate}  ${state}`;
  return withBar(style, nameWidth, name, fraction, tail, t.state === 'published' ? 'green' : undefined);
}

/** The lines the terminal shows: the overall bar, then one line per table. */
export function progressLines(progress: RunProgress, style: ProgressStyle): string[] {
  const o = overall(progress);
  const elapsed = `elapsed ${formatDuration(o.elapsedMs)}`;
  if (!progress.tables.length) {
    const spinner = SPINNER[style.frame % SPINNER.length]!;
    return [
      fit(
        `${spinner} Analysing the tables (nothing is created before all of them pass)  ${elapsed}`,
        style.width,
      ),
    ];
  }
  const published = progress.tables.filter((t) => t.state === 'published').length;
  const failed = progress.tables.some((t) => t.state === 'failed' || t.state === 'rolled back');
  const eta = ['running', 'paused'].includes(progress.status)
    ? progress.paused
      ? 'paused'
      : o.etaMs === undefined
        ? ''
        : `ETA ${formatDuration(o.etaMs)}`
    : progress.status;
  const tail = [
    percent(o.fraction),
    `${formatNumber(o.rowsCopied)}/${formatNumber(o.rowsTotal)} rows`,
    `${published}/${progress.tables.length} tables`,
    `${formatNumber(o.rate)} rows/s`,
    elapsed,
    eta,
  ]
    .filter(Boolean)
    .join('  ');
  const { shown, hidden } = tablesToShow(progress.tables);
  const nameWidth = Math.max(7, ...shown.map((t) => t.source.length));
  const head = failed ? paint(style, 'red', 'Overall'.padEnd(nameWidth)) : 'Overall'.padEnd(nameWidth);
  const lines = [withBar(style, nameWidth, head, o.fraction, tail, failed ? 'red' : undefined)];
  if (progress.outage) lines.push(fit(paint(style, 'yellow', progress.line), style.width));
  lines.push(...shown.map((t) => tableLine(t, progress, nameWidth, style)));
  if (hidden.length) {
    const count = (state: TableProgress['state']) => hidden.filter((t) => t.state === state).length;
    lines.push(
      fit(
        `… and ${hidden.length} more tables: ${count('published')} published, ${count('pending')} pending`,
        style.width,
      ),
    );
  }
  return lines;
}

/** Table lines a terminal shows at most: a whole schema's tables would not fit on it. */
export const MAX_TABLE_LINES = 15;

/**
 * Every table when they fit; otherwise those in flight and those that failed first, then the others in
 * their order, up to MAX_TABLE_LINES; the rest are counted.
 */
function tablesToShow<T extends TableProgress>(tables: T[]): { shown: T[]; hidden: T[] } {
  if (tables.length <= MAX_TABLE_LINES) return { shown: tables, hidden: [] };
  const quiet = (t: T) => t.state === 'pending' || t.state === 'published';
  const ordered = [...tables.filter((t) => !quiet(t)), ...tables.filter(quiet)];
  return { shown: ordered.slice(0, MAX_TABLE_LINES), hidden: ordered.slice(MAX_TABLE_LINES) };
}

/** Colour on a terminal only, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}
