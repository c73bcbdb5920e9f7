/**
 * COPY INTO <table> FROM <stage>: reads the staged files (CSV or Parquet), converts every field to its
 * column's type, applies ON_ERROR, appends the rows, and keeps the table's load history: a file whose
 * name and content were loaded before is skipped unless FORCE = TRUE, which is what makes a retried
 * load idempotent. Answers with Snowflake's per-file result rows.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  columnCountMismatch,
  invalidIdentifier,
  nullInNotNull,
  objectMissing,
  remoteFileMissing,
  SnowflakeError,
  unsupported,
} from '../errors';
import type { Token } from '../sql/lexer';
import { quoteName } from '../sql/identifiers';
import {
  listStagedFiles,
  md5OfFile,
  snapshotStagedFiles,
  stagePattern,
  type StagedFile,
  type StageFolder,
} from '../stages';
import { checkTextLength, textConverter, type Stored, type TextConverter } from '../values/parse';
import { convertValue } from '../values/convert';
import { checkNotNull, RowSink } from '../engine/append';
import type { ColumnDef, TableInfo } from '../engine/catalog';
import { defaultValue } from '../engine/constants';
import { columnReader } from '../engine/duck-values';
import { displayObject, qualify, requireStage, requireTable } from '../engine/names';
import { fixed, STATEMENT_TYPE, status, text, type RowsResult } from '../engine/result';
import type { Session } from '../engine/session';
import { stageFolder } from '../engine/statements/stage-commands';
import { CsvReader, CsvSyntaxError, type CsvRecord } from './csv';
import {
  fileFormat,
  formatOptionsFromJson,
  parseCopy,
  type CopyStatement,
  type FileFormat,
} from './copy-statement';
import { canonicalJson, jsonDocuments, variantEntries } from '../values/json-text';
import { textPieces } from './read-file';

export interface CopyInput {
  session: Session;
  tokens: Token[];
  sqlLength: number;
  stageRoot: string;
  nowMs: number;
}

interface RowError {
  error: SnowflakeError;
  line: number;
  character: number;
  row: number;
  column: ColumnDef | undefined;
  ordinal: number;
}

type Row = (Stored | null)[];

interface FileLoad {
  file: StagedFile;
  display: string;
  checksum: string;
  rowsParsed: number;
  rowsLoaded: number;
  errors: RowError[];
}

const RESULT_COLUMNS = [
  text('file'),
  text('status'),
  fixed('rows_parsed'),
  fixed('rows_loaded'),
  fixed('error_limit'),
  fixed('errors_seen'),
  text('first_error'),
  fixed('first_error_line'),
  fixed('first_error_character'),
  text('first_error_column_name'),
];

export async function copyInto(input: CopyInput): Promise<RowsResult> {
  const { session } = input;
  const stmt = parseCopy(input.tokens, input.sqlLength);
  const format = await resolveFormat(session, stmt);
  const table = await requireTable(session, stmt.table, 'COPY');
  const folder = await stageFolder(session, input.stageRoot, stmt.stage);
  const targets = targetColumns(table, stmt.columns);
  const snapshot = await snapshotStagedFiles(folder, await selectFiles(folder, stmt));
  try {
    return await load(input, stmt, format, table, folder, targets, snapshot.files);
  } finally {
    await snapshot.release();
  }
}

/**
 * The statement's file format: FILE_FORMAT = (...) as given, else the named stage's FILE_FORMAT, else CSV
 * with its defaults; FORMAT_NAME refers to a format made with CREATE FILE FORMAT.
 */
async function resolveFormat(session: Session, stmt: CopyStatement): Promise<FileFormat> {
  let options = stmt.formatOptions;
  if (options.size === 0 && stmt.stage.kind === 'named') {
    const stage = await requireStage(session, stmt.stage.name, 'COPY');
    if (stage.fileFormat !== null) options = formatOptionsFromJson(stage.fileFormat);
  }
  const name = options.get('FORMAT_NAME');
  if (Array.isArray(name)) {
    const o = qualify(session, name, 'COPY');
    const stored = await session.catalog.findFileFormat(o.database, o.schema, o.name);
    if (stored === undefined) throw objectMissing('File format', displayObject(o));
    options = formatOptionsFromJson(stored);
  }
  return fileFormat(options);
}

async function load(
  input: CopyInput,
  stmt: CopyStatement,
  format: FileFormat,
  table: TableInfo,
  folder: StageFolder,
  targets: ColumnDef[],
  files: StagedFile[],
): Promise<RowsResult> {
  const { session } = input;
  const history = await session.catalog.loadedFiles(table.id);
  const defaults = table.columns.map((col) =>
    targets.includes(col) ? null : defaultValue(session, col, input.nowMs),
  );

  const candidates: { file: StagedFile; checksum: string }[] = [];
  for (const file of files) {
    const checksum = await md5OfFile(file.absolute);
    if (stmt.force || history.get(file.relative) !== checksum) candidates.push({ file, checksum });
  }
  if (candidates.length === 0) return status('Copy executed with 0 files processed.', STATEMENT_TYPE.DML);

  // Rows go to the table as they are read; only where a failure must leave nothing behind that the
  // statement's own transaction cannot undo (ABORT_STATEMENT inside the client's transaction, or
  // SKIP_FILE deciding per file) are they held back first.
  const holdAll = stmt.onError.kind === 'ABORT_STATEMENT' && session.inTransaction;
  const outcomes = await session.atomic(async () => {
    const sink = await RowSink.open(session, table, 'COPY');
    const held: Row[] = [];
    let ok = false;
    try {
      const done: Outcome[] = [];
      for (const { file, checksum } of candidates) {
        const load: FileLoad = {
          file,
          display: folder.display(file.relative),
          checksum,
          rowsParsed: 0,
          rowsLoaded: 0,
          errors: [],
        };
        const perFile: Row[] | undefined = stmt.onError.kind === 'SKIP_FILE' ? [] : undefined;
        const emit = (row: Row) => {
          load.rowsLoaded += 1;
          if (perFile) perFile.push(row);
          else if (holdAll) held.push(row);
          else sink.add(row);
        };
        const context: ReadContext = { session, table, targets, defaults, load, stmt, emit };
        if (stmt.transform && format.type !== 'CSV')
          throw unsupported(`COPY with a transformation from ${format.type} files`);
        if (format.type === 'CSV') await readCsv(context, format);
        else if (format.type === 'JSON') await readJson(context, format);
        else await readParquet(context, format);
        const result = outcome(stmt, load);
        if (perFile && result.status !== 'LOAD_FAILED') perFile.forEach((row) => sink.add(row));
        if (result.status !== 'LOAD_FAILED')
          await session.catalog.recordLoad(table.id, file.relative, checksum, result.rowsLoaded);
        done.push(result);
      }
      held.forEach((row) => sink.add(row));
      ok = true;
      return done;
    } finally {
      sink.close(ok);
    }
  });
  if (stmt.purge) {
    for (const o of outcomes)
      if (o.status !== 'LOAD_FAILED')
        await fs.rm(path.join(folder.dir, o.load.file.relative), { force: true });
  }
  return {
    kind: 'rows',
    columns: RESULT_COLUMNS,
    rows: outcomes.map((o) => {
      const first = o.load.errors[0];
      return [
        o.load.display,
        o.status,
        BigInt(o.load.rowsParsed),
        BigInt(o.rowsLoaded),
        BigInt(o.errorLimit),
        BigInt(o.load.errors.length),
        first?.error.message ?? null,
        first ? BigInt(first.line) : null,
        first ? BigInt(first.character) : null,
        first ? columnName(table, first) : null,
      ];
    }),
    statementTypeId: STATEMENT_TYPE.DML,
  };
}

function targetColumns(table: TableInfo, names: string[] | undefined): ColumnDef[] {
  if (!names) return table.columns;
  return names.map((name) => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw invalidIdentifier(quoteName(name));
    return column;
  });
}

async function selectFiles(folder: StageFolder, stmt: CopyStatement): Promise<StagedFile[]> {
  const base =
    stmt.stage.path === '' || stmt.stage.path.endsWith('/') ? stmt.stage.path : `${stmt.stage.path}/`;
  if (stmt.files) {
    const all = await listStagedFiles(folder, base);
    return stmt.files.map((name) => {
      const relative = base + name.replace(/^\/+/, '');
      const file = all.find((f) => f.relative === relative);
      if (!file) throw remoteFileMissing(folder.display(relative));
      return file;
    });
  }
  return listStagedFiles(
    folder,
    stmt.stage.path,
    stmt.pattern === undefined ? undefined : stagePattern(stmt.pattern),
  );
}

interface ReadContext {
  session: Session;
  table: TableInfo;
  targets: ColumnDef[];
  defaults: Row;
  load: FileLoad;
  stmt: CopyStatement;
  emit: (row: Row) => void;
}

/** Stops reading at the first bad row when the statement would be aborted anyway. */
function recordError(ctx: ReadContext, error: RowError): void {
  if (ctx.stmt.onError.kind === 'ABORT_STATEMENT') throw abortError(ctx, error);
  ctx.load.errors.push(error);
}

async function readCsv(ctx: ReadContext, format: Extract<FileFormat, { type: 'CSV' }>): Promise<void> {
  const { table, targets, load, stmt } = ctx;
  const conversion = { ...ctx.session.conversionContext(), binaryFormat: format.binaryFormat };
  const transform = stmt.transform;
  if (transform && transform.length !== targets.length)
    throw unsupported('COPY transformations selecting another number of fields than the columns they fill');
  // Which field fills target k: the transformation's $n, else the k-th.
  const fieldOf = transform ? transform.map((t) => t.field - 1) : targets.map((_, k) => k);
  const converters: TextConverter[] = targets.map((col, k) => {
    if (transform?.[k]!.parseJson) return parseJsonInto(col, conversion);
    const convert = textConverter(col.type, conversion);
    if (stmt.truncateColumns && col.type.kind === 'TEXT') {
      const length = col.type.length;
      return (t) => checkTextLength([...t].slice(0, length).join(''), length);
    }
    return convert;
  });
  const slots = targets.map((col) => table.columns.indexOf(col));
  // Checked on every row: the NOT NULL columns' positions, found once.
  const notNullSlots = table.columns.flatMap((col, k) => (col.nullable ? [] : [k]));
  const reader = new CsvReader(format.csv);
  let rowNumber = 0;

  const take = (record: CsvRecord) => {
    rowNumber += 1;
    load.rowsParsed += 1;
    const fields = record.fields;
    if (format.errorOnColumnCountMismatch && fields.length !== targets.length) {
      const at = Math.min(fields.length, targets.length);
      recordError(ctx, {
        error: columnCountMismatch(fields.length, targets.length),
        line: record.line,
        character: record.positions[at - 1] ?? 1,
        row: rowNumber,
        column: targets[at - 1],
        ordinal: at,
      });
      return;
    }
    const row = ctx.defaults.slice();
    for (let k = 0; k < targets.length; k++) {
      const field = fields[fieldOf[k]!] ?? null;
      try {
        row[slots[k]!] = field === null ? null : converters[k]!(field);
      } catch (err) {
        if (!(err instanceof SnowflakeError)) throw err;
        recordError(ctx, {
          error: err,
          line: record.line,
          character: record.positions[k] ?? 1,
          row: rowNumber,
          column: targets[k],
          ordinal: k + 1,
        });
        return;
      }
    }
    const nullIn = notNullSlots.find((k) => row[k] === null);
    if (nullIn !== undefined) {
      const column = table.columns[nullIn]!;
      recordError(ctx, {
        error: nullInNotNull(),
        line: record.line,
        character: record.positions[Math.max(targets.indexOf(column), 0)] ?? 1,
        row: rowNumber,
        column,
        ordinal: nullIn + 1,
      });
      return;
    }
    ctx.emit(row);
  };

  try {
    for await (const piece of textPieces(load.file.absolute, format.compression)) {
      for (const record of reader.feed(piece, false)) take(record);
    }
    for (const record of reader.feed('', true)) take(record);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    // A malformed record ends the file: what follows it cannot be told apart reliably.
    recordError(ctx, {
      error: err,
      line: err.line,
      character: err.character,
      row: rowNumber + 1,
      column: targets[0],
      ordinal: 1,
    });
  }
}

/** 100069 (22P02): a JSON document that does not parse. */
const jsonError = (detail: string) => new SnowflakeError('100069', '22P02', `Error parsing JSON: ${detail}`);

/** PARSE_JSON of a field in COPY's transformation, into the column's type (a VARIANT holds it as it is). */
function parseJsonInto(col: ColumnDef, conversion: ReturnType<Session['conversionContext']>): TextConverter {
  return (text) => {
    let canonical: string;
    try {
      canonical = canonicalJson(text);
    } catch (err) {
      throw jsonError((err as Error).message);
    }
    return convertValue({ kind: 'VARIANT' }, canonical, col.type, conversion);
  };
}

/** JSON: each document (or each element of an outer array, with STRIP_OUTER_ARRAY) is a VARIANT row. */
async function readJson(ctx: ReadContext, format: Extract<FileFormat, { type: 'JSON' }>): Promise<void> {
  const { table, load } = ctx;
  const single = table.columns.length === 1 ? table.columns[0]! : undefined;
  if (!single || !['VARIANT', 'OBJECT', 'ARRAY'].includes(single.type.kind)) throw singleColumnOnly('JSON');
  let text = '';
  for await (const piece of textPieces(load.file.absolute, format.compression)) text += piece;
  const conversion = ctx.session.conversionContext();
  let row = 0;
  for (const document of jsonDocuments(text)) {
    let values: string[];
    try {
      const canonical = canonicalJson(document.text);
      values = format.stripOuterArray
        ? (variantEntries(canonical)?.map((e) => e.value) ?? [canonical])
        : [canonical];
    } catch (err) {
      load.rowsParsed += 1;
      row += 1;
      const error = jsonError((err as Error).message);
      recordError(ctx, { error, line: document.line, character: 1, row, column: single, ordinal: 1 });
      continue;
    }
    for (const value of values) {
      load.rowsParsed += 1;
      row += 1;
      try {
        ctx.emit([convertValue({ kind: 'VARIANT' }, value, single.type, conversion)]);
      } catch (err) {
        if (!(err instanceof SnowflakeError)) throw err;
        recordError(ctx, { error: err, line: document.line, character: 1, row, column: single, ordinal: 1 });
      }
    }
  }
}

/** 002019: a semi-structured file loads into one VARIANT, OBJECT or ARRAY column unless told otherwise. */
const singleColumnOnly = (type: string) =>
  new SnowflakeError(
    '002019',
    '0A000',
    `SQL compilation error:\n${type} file format can produce one and only one column of type variant, object, or array. Load data into separate columns using the MATCH_BY_COLUMN_NAME copy option or copy with transformation.`,
  );

async function readParquet(
  ctx: ReadContext,
  format: Extract<FileFormat, { type: 'PARQUET' }>,
): Promise<void> {
  const { session, table, load, stmt } = ctx;
  const reader = await session.duck(`SELECT * FROM read_parquet(${quoteLiteral(load.file.absolute)})`);
  const names = reader.columnNames();
  const readers = names.map((_, k) => columnReader(reader.columnType(k)));
  const columns = reader.getColumns();
  const conversion = session.conversionContext();
  const nullIf = new Set(format.nullIf);
  let mapping: { column: ColumnDef; source: number }[];
  if (stmt.matchByColumnName !== 'NONE') {
    const fold = (s: string) => (stmt.matchByColumnName === 'CASE_INSENSITIVE' ? s.toUpperCase() : s);
    mapping = ctx.targets.flatMap((column) => {
      const source = names.findIndex((n) => fold(n) === fold(column.name));
      return source < 0 ? [] : [{ column, source }];
    });
  } else if (table.columns.length === 1 && ['VARIANT', 'OBJECT'].includes(table.columns[0]!.type.kind)) {
    mapping = [];
  } else {
    // Snowflake refuses to spread a Parquet row over several columns without a hint.
    throw singleColumnOnly('PARQUET');
  }
  const rowCount = reader.currentRowCount;
  for (let r = 0; r < rowCount; r++) {
    load.rowsParsed += 1;
    const row = ctx.defaults.slice();
    try {
      if (mapping.length === 0) {
        const object: Record<string, unknown> = {};
        names.forEach((n, k) => {
          const v = readers[k]!.read(columns[k]![r] ?? null);
          object[n] =
            v === null
              ? null
              : typeof v === 'bigint'
                ? Number(v)
                : v instanceof Uint8Array
                  ? Buffer.from(v).toString('hex')
                  : v;
        });
        row[0] = JSON.stringify(object);
      }
      for (const { column, source } of mapping) {
        const v = readers[source]!.read(columns[source]![r] ?? null);
        const isNull = v === null || (typeof v === 'string' && nullIf.has(v));
        row[table.columns.indexOf(column)] = isNull
          ? null
          : convertValue(readers[source]!.type, v, column.type, conversion);
      }
      checkNotNull(table.columns, row);
      ctx.emit(row);
    } catch (err) {
      if (!(err instanceof SnowflakeError)) throw err;
      recordError(ctx, { error: err, line: r + 1, character: 1, row: r + 1, column: undefined, ordinal: 0 });
    }
  }
}

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

function columnName(table: TableInfo, e: RowError): string {
  return e.column ? `"${table.name}"["${e.column.name}":${e.ordinal}]` : `"${table.name}"`;
}

function abortError(ctx: ReadContext, e: RowError): SnowflakeError {
  return new SnowflakeError(
    e.error.code,
    e.error.sqlState,
    `${e.error.message}\n  File '${ctx.load.display}', line ${e.line}, character ${e.character}\n` +
      `  Row ${e.row}, column ${columnName(ctx.table, e)}\n` +
      "  If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client.",
  );
}

interface Outcome {
  load: FileLoad;
  status: 'LOADED' | 'PARTIALLY_LOADED' | 'LOAD_FAILED';
  rowsLoaded: number;
  errorLimit: number;
}

function outcome(stmt: CopyStatement, load: FileLoad): Outcome {
  const errors = load.errors.length;
  const onError = stmt.onError;
  const loaded = load.rowsLoaded;
  if (onError.kind === 'SKIP_FILE') {
    const limit = onError.percent ? Math.ceil((onError.limit / 100) * load.rowsParsed) : onError.limit;
    if (errors >= Math.max(limit, 1))
      return { load, status: 'LOAD_FAILED', rowsLoaded: 0, errorLimit: limit };
    return {
      load,
      status: errors > 0 ? 'PARTIALLY_LOADED' : 'LOADED',
      rowsLoaded: loaded,
      errorLimit: limit,
    };
  }
  const errorLimit = onError.kind === 'CONTINUE' ? load.rowsParsed : 1;
  if (errors === 0) return { load, status: 'LOADED', rowsLoaded: loaded, errorLimit };
  return { load, status: loaded > 0 ? 'PARTIALLY_LOADED' : 'LOAD_FAILED', rowsLoaded: loaded, errorLimit };
}
