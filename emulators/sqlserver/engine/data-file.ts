/**
 * BULK INSERT ... FROM 'file': reads a character data file the way SQL Server reads one on its own disk,
 * into rows of text (hex digits decoded for binary columns) that go in through INSERT BULK's loader.
 * https://learn.microsoft.com/sql/t-sql/statements/bulk-insert-transact-sql
 * https://learn.microsoft.com/sql/relational-databases/import-export/specify-field-and-row-terminators-sql-server
 */
import { readFileSync } from 'node:fs';
import { SqlError, notSupported } from '../errors';
import type { DataFileOptions } from '../tsql/ast';
import { MAX, isBinaryType, isSpatialType, type SqlType } from '../types/sql-type';
import type { SqlValue } from '../types/values';
import type { ColumnInfo } from './catalog';

/**
 * A terminator as written in the statement: `\t`, `\n`, `\r`, `\0` and `\\` are the documented escapes,
 * `0x..` the hexadecimal notation. `\n` is a regular expression part matching an optional CR before the
 * LF: the documentation says a `\n` row terminator expects CRLF, and Microsoft's own AdventureWorks files
 * loaded with `\n` end their rows with LF alone, so both are read.
 */
export function terminatorPattern(written: string): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (/^0x([0-9a-f]{2})+$/i.test(written)) {
    return escape(Buffer.from(written.slice(2), 'hex').toString('latin1'));
  }
  let pattern = '';
  for (let i = 0; i < written.length; i++) {
    const c = written[i]!;
    if (c !== '\\' || i + 1 === written.length) {
      pattern += escape(c);
      continue;
    }
    const next = written[++i]!;
    const escapes: Record<string, string> = { t: '\\t', n: '\\r?\\n', r: '\\r', '0': '\\x00', '\\': '\\\\' };
    pattern += escapes[next] ?? escape(`\\${next}`);
  }
  return pattern;
}

function decode(bytes: Buffer, options: DataFileOptions): string {
  // widechar files are UTF-16LE, CODEPAGE then does not apply.
  if (options.wide) return bytes.toString('utf16le').replace(/^\uFEFF/, '');
  if (options.codepage === '65001') return bytes.toString('utf8').replace(/^\uFEFF/, '');
  // Other code pages (OEM, the default, ACP, RAW, numbers): only files of plain ASCII read the same in all.
  if (bytes.every((b) => b < 0x80)) return bytes.toString('latin1');
  throw notSupported(`CODEPAGE = '${options.codepage ?? 'OEM'}' for a file with characters beyond ASCII`);
}

export function readDataFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new SqlError(
      4860,
      `Cannot bulk load. The file "${path}" does not exist or you don't have file access rights.`,
    );
  }
}

/**
 * The file's rows, one value per table column: text as nvarchar(max) (converted to the column's type by
 * the loader), binary, hierarchyid, geography and geometry columns from their hex digits (the CLR type's
 * binary form, as a character-mode export writes one: [MS-SSCLRT], types/hierarchyid-binary.ts and
 * types/spatial-binary.ts); an empty field is NULL (the column's default unless
 * KEEPNULLS), and a field of one NUL character is the empty value: "the bcp utility represents an empty
 * string as a null [character]" when it writes a file (https://learn.microsoft.com/en-us/sql/tools/bcp-utility,
 * `out`), as AdventureWorks' Document.csv writes the root node and empty NOT NULL strings. Like SQL
 * Server, the reader looks for the first field terminator after each field but the last and for the row
 * terminator after the last, so a row terminator inside an earlier field is data.
 */
export function dataFileRows(
  bytes: Buffer,
  columns: readonly Pick<ColumnInfo, 'name' | 'type'>[],
  options: DataFileOptions,
): { types: SqlType[]; rows: SqlValue[][] } {
  const text = decode(bytes, options);
  const field = new RegExp(terminatorPattern(options.fieldTerminator), 'g');
  const row = new RegExp(terminatorPattern(options.rowTerminator), 'g');
  const hex = (t: SqlType) => isBinaryType(t) || t.name === 'hierarchyid' || isSpatialType(t);
  const types: SqlType[] = columns.map((c) =>
    hex(c.type) ? { name: 'varbinary', length: MAX } : { name: 'nvarchar', length: MAX },
  );
  const rows: SqlValue[][] = [];
  let at = 0;
  for (let n = 1; at < text.length; n++) {
    const values = columns.map((column, c): SqlValue => {
      const terminator = c === columns.length - 1 ? row : field;
      terminator.lastIndex = at;
      const found = terminator.exec(text);
      if (!found) {
        throw new SqlError(
          4832,
          `Bulk load: An unexpected end of file was encountered in the data file. (row ${n}, column ${c + 1} (${column.name}))`,
        );
      }
      const value = text.slice(at, found.index);
      at = found.index + found[0].length;
      if (value === '') return null;
      const empty = value === '\u0000';
      if (hex(column.type)) return empty ? Buffer.alloc(0) : Buffer.from(value, 'hex');
      return empty ? '' : value;
    });
    if (n >= options.firstRow) rows.push(values);
  }
  return { types, rows };
}
