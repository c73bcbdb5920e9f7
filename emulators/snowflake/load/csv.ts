/**
 * CSV records the way COPY INTO reads them with FILE_FORMAT = (TYPE = CSV ...). Pure.
 *
 * A field may be enclosed (FIELD_OPTIONALLY_ENCLOSED_BY): then a doubled enclosure character is one
 * such character, delimiters and line breaks are data, and "" is an empty string. An unenclosed empty
 * field is NULL when EMPTY_FIELD_AS_NULL (the default). NULL_IF strings become NULL. \r\n ends a
 * record as \n does.
 */
import { SnowflakeError } from '../errors';

export interface CsvOptions {
  fieldDelimiter: string;
  recordDelimiter: string;
  /** FIELD_OPTIONALLY_ENCLOSED_BY, undefined for NONE. */
  enclosure?: string;
  /** ESCAPE: escapes the enclosure character inside enclosed fields. */
  escape?: string;
  /** ESCAPE_UNENCLOSED_FIELD: backslash by default. */
  escapeUnenclosed?: string;
  nullIf: string[];
  emptyFieldAsNull: boolean;
  skipHeader: number;
  trimSpace: boolean;
  skipBlankLines: boolean;
}

export const DEFAULT_CSV_OPTIONS: CsvOptions = {
  fieldDelimiter: ',',
  recordDelimiter: '\n',
  escapeUnenclosed: '\\',
  nullIf: ['\\N'],
  emptyFieldAsNull: true,
  skipHeader: 0,
  trimSpace: false,
  skipBlankLines: false,
};

export interface CsvRecord {
  fields: (string | null)[];
  /** 1-based line of the record's first character. */
  line: number;
  /** 1-based character position of each field within its line. */
  positions: number[];
}

/** A malformed record; `line` and `character` locate it for the COPY error message. */
export class CsvSyntaxError extends SnowflakeError {
  constructor(
    message: string,
    readonly line: number,
    readonly character: number,
  ) {
    // 100065 (22000): "Found character 'x' instead of field delimiter ','".
    super('100065', '22000', message);
  }
}

const UNENCLOSED_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

/**
 * Reads records from text that arrives in pieces (a decompressing stream): a record cut by the end of
 * a piece waits for the next one. Line numbers and the header count carry over.
 */
export class CsvReader {
  private pending = '';
  private line = 1;
  /** Where the current line starts, relative to the start of `pending`. */
  private lineStartOffset = 0;
  private skip: number;
  private readonly nullIf: Set<string>;

  constructor(private readonly options: CsvOptions) {
    this.skip = options.skipHeader;
    this.nullIf = new Set(options.nullIf);
  }

  /**
   * Keeps a record cut by the end of a piece for the next one. A method, not a closure made per record:
   * under tsx (esbuild's keepNames) every named closure costs a call when it is made.
   */
  private holdBack(text: string, recordStart: number, recordLine: number, recordLineStart: number): void {
    this.pending = text.slice(recordStart);
    this.line = recordLine;
    this.lineStartOffset = recordLineStart - recordStart;
  }

  /** The records complete so far; `final` says no more text follows. */
  *feed(chunk: string, final: boolean): Generator<CsvRecord> {
    const options = this.options;
    const { fieldDelimiter: delim, recordDelimiter: recDelim, enclosure, escape, escapeUnenclosed } = options;
    const nullIf = this.nullIf;
    const newlineRecords = recDelim === '\n' || recDelim === '\r\n';
    const text = this.pending + chunk;
    let i = 0;
    let line = this.line;
    let lineStart = this.lineStartOffset;
    const n = text.length;
    const simple = delim.length === 1 && newlineRecords && escapeUnenclosed === undefined;
    const delimCode = delim.charCodeAt(0);
    // Near the end of a piece a delimiter may be cut in two: wait for the rest.
    const margin = final ? 0 : Math.max(delim.length, recDelim.length, 2);

    const atRecordEnd = (k: number): number => {
      // Length of the record delimiter at k, 0 when there is none.
      if (newlineRecords) {
        if (text.charCodeAt(k) === 10) return 1;
        if (text.charCodeAt(k) === 13 && text.charCodeAt(k + 1) === 10) return 2;
        return 0;
      }
      return text.startsWith(recDelim, k) ? recDelim.length : 0;
    };
    const countLines = (from: number, to: number) => {
      for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) {
        line += 1;
        lineStart = k + 1;
      }
    };

    records: while (i < n) {
      const recordStart = i;
      const recordLine = line;
      const recordLineStart = lineStart;
      const fields: (string | null)[] = [];
      const positions: number[] = [];
      let recordDone = false;
      while (!recordDone) {
        positions.push(i - lineStart + 1);
        let start = i;
        if (options.trimSpace) while (text[i] === ' ' || text[i] === '\t') i += 1;
        if (enclosure !== undefined && text.startsWith(enclosure, i)) {
          // Enclosed field.
          let value = '';
          let k = i + enclosure.length;
          for (;;) {
            const close = text.indexOf(enclosure, k);
            const esc = escape === undefined ? -1 : text.indexOf(escape, k);
            if (esc >= 0 && (close < 0 || esc < close)) {
              value += text.slice(k, esc) + (text[esc + escape!.length] ?? '');
              k = esc + escape!.length + 1;
              continue;
            }
            if (close < 0 || (!final && close + enclosure.length >= n)) {
              if (!final) {
                this.holdBack(text, recordStart, recordLine, recordLineStart);
                return;
              }
              countLines(start, n);
              throw new CsvSyntaxError(
                'End of record reached while expected to parse an enclosed field',
                line,
                n - lineStart + 1,
              );
            }
            value += text.slice(k, close);
            k = close + enclosure.length;
            if (text.startsWith(enclosure, k)) {
              value += enclosure;
              k += enclosure.length;
              continue;
            }
            break;
          }
          countLines(start, k);
          i = k;
          if (options.trimSpace) while (text[i] === ' ' || text[i] === '\t') i += 1;
          fields.push(nullIf.has(value) ? null : value);
        } else {
          // Unenclosed field: runs to the delimiter or the record end.
          start = i;
          let hasEscape = false;
          if (simple) {
            // One-character delimiter, newline records, no escape: compare character codes only.
            for (
              let code = text.charCodeAt(i);
              i < n && code !== delimCode && code !== 10 && code !== 13;
              code = text.charCodeAt(++i)
            );
            while (i < n && text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) !== 10 && i + 1 < n) {
              for (
                let code = text.charCodeAt(++i);
                i < n && code !== delimCode && code !== 10 && code !== 13;
                code = text.charCodeAt(++i)
              );
            }
          } else {
            while (i < n) {
              if (text.startsWith(delim, i) || atRecordEnd(i) > 0) break;
              if (escapeUnenclosed !== undefined && text.startsWith(escapeUnenclosed, i) && i + 1 < n) {
                hasEscape = true;
                i += escapeUnenclosed.length + 1;
                continue;
              }
              i += 1;
            }
          }
          let raw = text.slice(start, i);
          if (options.trimSpace) raw = raw.replace(/[ \t]+$/, '');
          if (nullIf.has(raw) || (raw === '' && options.emptyFieldAsNull)) fields.push(null);
          else fields.push(hasEscape ? unescapeUnenclosed(raw, escapeUnenclosed!) : raw);
        }
        if (i >= n - margin && !final) {
          this.holdBack(text, recordStart, recordLine, recordLineStart);
          return;
        }
        if (i >= n) {
          recordDone = true;
        } else if (text.startsWith(delim, i)) {
          i += delim.length;
        } else {
          const end = atRecordEnd(i);
          if (end === 0) {
            throw new CsvSyntaxError(
              `Found character '${text[i]}' instead of field delimiter '${delim}'`,
              line,
              i - lineStart + 1,
            );
          }
          i += end;
          if (text.charCodeAt(i - 1) === 10) {
            line += 1;
            lineStart = i;
          }
          recordDone = true;
        }
      }
      const blank = fields.length === 1 && (fields[0] === null || fields[0] === '') && positions[0] === 1;
      if (this.skip > 0) {
        this.skip -= 1;
        continue records;
      }
      if (blank && options.skipBlankLines) continue records;
      yield { fields, line: recordLine, positions };
    }
    this.pending = '';
    this.line = line;
    this.lineStartOffset = lineStart - n;
  }
}

/** All records of a complete text. */
export function parseCsv(text: string, options: CsvOptions): Generator<CsvRecord> {
  return new CsvReader(options).feed(text, true);
}

function unescapeUnenclosed(raw: string, escapeChar: string): string {
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    if (raw.startsWith(escapeChar, k) && k + escapeChar.length < raw.length) {
      const next = raw[k + escapeChar.length]!;
      out += UNENCLOSED_ESCAPES[next] ?? next;
      k += escapeChar.length;
    } else out += raw[k];
  }
  return out;
}
