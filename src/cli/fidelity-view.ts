/** The type-fidelity report as text: aligned column verdicts and what is not carried. Pure. */
import type { ColumnReport, NotCarried } from '../mapping/fidelity';

/** The verdict column of one source column: its first line, then any further lines. */
function verdictLines(c: ColumnReport): string[] {
  switch (c.verdict) {
    case 'exact':
      return ['exact', ...(c.checked ? [`  ${c.checked}`] : [])];
    case 'converted':
      return [
        `converted: ${c.how[0]}`,
        ...c.how.slice(1).map((how) => `           ${how}`),
        ...(c.checked ? [`           ${c.checked}`] : []),
      ];
    case 'refused':
      return [`refused: ${c.why}`, `  what to do: ${c.todo}`];
    case 'excluded':
      return [`excluded: ${c.why}`];
  }
}

/** One row per column under a header, each cell padded to its column's widest value. */
export function renderColumns(columns: ColumnReport[], indent = '  '): string[] {
  const rows = columns.map((c) => ({
    cells: [c.name, c.sourceType, 'targetType' in c ? c.targetType : '-'],
    verdict: verdictLines(c),
  }));
  const header = ['column', 'SQL Server', 'Snowflake'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const line = (cells: string[], verdict: string) =>
    `${indent}${cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}  ${verdict}`;
  const blank = widths.map(() => '');
  return [
    line(header, 'verdict'),
    ...rows.flatMap((r) => [line(r.cells, r.verdict[0]!), ...r.verdict.slice(1).map((v) => line(blank, v))]),
  ];
}

export function renderNotCarried(items: NotCarried[], indent = '  '): string[] {
  if (!items.length) return [];
  const width = Math.max(...items.map((i) => `${i.kind} ${i.name}`.length));
  return [
    `${indent}not carried to Snowflake:`,
    ...items.map((i) => `${indent}  ${`${i.kind} ${i.name}`.padEnd(width)}  ${i.detail}`),
  ];
}
