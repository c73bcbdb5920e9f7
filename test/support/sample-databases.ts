/**
 * Microsoft's sample databases (Northwind, pubs, AdventureWorks) as published in microsoft/sql-server-samples,
 * read from `../shared/samples/` beside the checkout (gzipped; see its README). Tests that need them skip,
 * saying so, when the folder is absent. Scripts run as sqlcmd runs them: split on GO, batch by batch, on one
 * connection (so USE, SET and IDENTITY_INSERT carry over), a refused batch reported and the next one run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type sql from 'mssql';
import { splitBatches } from '../../emulators/sqlserver/tsql/lexer';

export const SAMPLES_DIR = resolve(__dirname, '../../../shared/samples');

/** `describe` when the samples are there, `describe.skip` with a message saying why when they are not. */
export function describeWithSamples(name: string, body: () => void): void {
  if (existsSync(SAMPLES_DIR)) return describe(name, body);

  console.warn(`${name}: skipped, Microsoft's sample databases are not in ${SAMPLES_DIR}`);
  describe.skip(name, body);
}

/** A script of the samples folder, unzipped, without its byte-order mark. */
export function sampleScript(file: string): string {
  return gunzipSync(readFileSync(join(SAMPLES_DIR, file)))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

/**
 * AdventureWorks' data files, unzipped into a new temporary folder as the script expects them (a path
 * ending in the separator, `$(SqlSamplesSourceDataPath)` being glued to the file names).
 */
export function adventureWorksDataFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'adventureworks-'));
  const from = join(SAMPLES_DIR, 'adventureworks');
  for (const file of readdirSync(from).filter((f) => f.endsWith('.csv.gz'))) {
    writeFileSync(join(folder, file.slice(0, -'.gz'.length)), gunzipSync(readFileSync(join(from, file))));
  }
  return `${folder}/`;
}

/**
 * AdventureWorks loads the tests leave out, and why. The batch of loads stops at its first error, as the
 * stand-in stops a batch at any error (SQL Server's documentation does not list which errors end only the
 * statement), so a load that cannot succeed would stop the loads after it.
 */
export const ADVENTURE_WORKS_DESELECTED = [
  // No data file in the stored copy (see the samples README).
  'Person.Person',
  'Sales.SalesOrderHeader',
  'Sales.SalesOrderDetail',
  'Production.TransactionHistory',
  'Production.TransactionHistoryArchive',
  'Production.WorkOrder',
  'Production.WorkOrderRouting',
];

export interface Refusal {
  /** The batch's position in the script, from 0. */
  batch: number;
  number: number;
  message: string;
  /** The batch's first words, to say which one it was. */
  start: string;
}

/**
 * What sqlcmd does to a script before SQL Server sees it: `:setvar name "value"` lines define scripting
 * variables (the line itself is not sent; `:setvar name` alone clears one) and every `$(name)` after them is
 * replaced by the value, names compared case-insensitively; a reference to an undefined variable stops the
 * script. `edits` stand for the user editing a `:setvar` line, as AdventureWorks' instructions ask for its
 * data path: sqlcmd's own precedence lets `:setvar` override `-v`, so `-v` could not change it.
 * https://learn.microsoft.com/en-us/sql/tools/sqlcmd/sqlcmd-use-scripting-variables
 */
export function sqlcmdVariables(script: string, edits: Record<string, string> = {}): string {
  const vars = new Map<string, string>();
  const edited = new Map(Object.entries(edits).map(([k, v]) => [k.toLowerCase(), v]));
  const out: string[] = [];
  for (const line of script.split(/\r?\n/)) {
    const setvar = /^\s*:setvar\s+(\S+)(?:\s+(.*?))?\s*$/i.exec(line);
    if (setvar) {
      const name = setvar[1]!.toLowerCase();
      const raw = setvar[2];
      // A quoted value may hold spaces; a quote inside it is doubled.
      const value = raw?.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
      if (value === undefined) vars.delete(name);
      else vars.set(name, edited.get(name) ?? value);
      continue;
    }
    out.push(
      line.replace(/\$\(([^)\s]+)\)/g, (_, name: string) => {
        const value = vars.get(name.toLowerCase());
        if (value === undefined) throw new Error(`sqlcmd: '${name}' scripting variable not defined.`);
        return value;
      }),
    );
  }
  return out.join('\n');
}

/**
 * The script without its `BULK INSERT [schema].[table] ...;` loads of the tables named: loads the test
 * deselects (a data file the stored copy lacks, a type the stand-in does not hold), each said in the test.
 */
export function withoutLoads(script: string, tables: string[]): string {
  const skipped = new Set(tables.map((t) => t.toLowerCase()));
  return script.replace(/^BULK INSERT \[(\w+)\]\.\[(\w+)\][^;]*;/gm, (load, schema: string, table: string) =>
    skipped.has(`${schema}.${table}`.toLowerCase()) ? '' : load,
  );
}

/** Runs a script batch by batch on the pool's one connection; returns the batches SQL Server refused. */
export async function runScript(
  pool: sql.ConnectionPool,
  script: string,
): Promise<{ batches: number; refused: Refusal[] }> {
  const batches = splitBatches(script);
  const refused: Refusal[] = [];
  for (const [i, text] of batches.entries()) {
    try {
      await pool.request().batch(text);
    } catch (e) {
      const error = e as { number?: number; message: string };
      const start = text.trim().replace(/\s+/g, ' ').split(' ').slice(0, 3).join(' ');
      refused.push({ batch: i, number: error.number ?? -1, message: error.message, start });
    }
  }
  return { batches: batches.length, refused };
}

/** The refusals counted by error number and message, the way a test states what was refused. */
export function refusalCounts(refused: Refusal[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of refused) {
    const key = `${r.number} ${r.message}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
