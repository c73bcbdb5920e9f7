/**
 * Text read with a format model instead of AUTO detection: what DATE_INPUT_FORMAT, TIME_INPUT_FORMAT
 * and TIMESTAMP_INPUT_FORMAT do to strings loaded (COPY with the file format's AUTO, bound values,
 * casts). Pure. Elements (case-insensitive), as listed in
 * https://docs.snowflake.com/en/sql-reference/date-time-input-output#about-the-elements-used-in-input-and-output-formats:
 * YYYY, MM, MON, DD, DY, HH24, HH12, AM/PM, MI, SS, FF and FF0-FF9, TZH, TZM, and "quoted" text; any
 * other character stands for itself. Elements the stand-in does not read (YY, MMMM, UUUU, ...) are
 * refused when the parameter is set, never guessed.
 */
import { unsupported } from '../errors';

export interface FormattedFields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  /** Fraction digits as written (up to nine). */
  fraction: string;
  /** Offset written in the text (TZH[:TZM]), minutes east of UTC. */
  offsetMinutes?: number;
}

type Field =
  'YYYY' | 'MM' | 'MON' | 'DD' | 'DY' | 'HH24' | 'HH12' | 'AM' | 'MI' | 'SS' | 'FF' | 'TZH' | 'TZM';

/** Longest first, so HH24 is not read as HH. */
const ELEMENTS: [string, Field, string][] = [
  ['YYYY', 'YYYY', '(\\d{4})'],
  ['HH24', 'HH24', '(\\d{1,2})'],
  ['HH12', 'HH12', '(\\d{1,2})'],
  ['MON', 'MON', '([A-Za-z]{3})'],
  ['TZH', 'TZH', '([+-]\\d{1,2})'],
  ['TZM', 'TZM', '(\\d{2})'],
  ['MM', 'MM', '(\\d{1,2})'],
  ['DD', 'DD', '(\\d{1,2})'],
  ['DY', 'DY', '([A-Za-z]{3})'],
  ['HH', 'HH12', '(\\d{1,2})'],
  ['AM', 'AM', '(AM|PM)'],
  ['PM', 'AM', '(AM|PM)'],
  ['MI', 'MI', '(\\d{2})'],
  ['SS', 'SS', '(\\d{2})'],
  ['FF', 'FF', '(\\d{1,9})'],
];

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export type FormatReader = (text: string) => FormattedFields | undefined;

/**
 * A reader for `format`: the fields of a text that matches it, else undefined. Throws 000002 for a
 * format with elements the stand-in cannot read.
 */
export function formatReader(format: string): FormatReader {
  const fields: Field[] = [];
  let source = '';
  for (let i = 0; i < format.length;) {
    if (format[i] === '"') {
      const close = format.indexOf('"', i + 1);
      if (close < 0) throw unsupported(`the format '${format}'`);
      source += escape(format.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    const rest = format.slice(i).toUpperCase();
    const element = ELEMENTS.find(([name]) => rest.startsWith(name));
    if (element) {
      fields.push(element[1]);
      source += element[2];
      // FF0-FF9: the digit names how many fraction digits are printed; any number up to nine are read.
      i += element[0].length + (element[1] === 'FF' && /^\d/.test(rest.slice(2)) ? 1 : 0);
    } else if (/[A-Za-z]/.test(format[i]!)) {
      throw unsupported(`the format element at '${format.slice(i)}' in '${format}'`);
    } else {
      source += escape(format[i]!);
      i += 1;
    }
  }
  const pattern = new RegExp(`^\\s*${source}\\s*$`, 'i');
  return (text) => {
    const m = pattern.exec(text);
    if (!m) return undefined;
    const out: FormattedFields = { y: 1970, mo: 1, d: 1, h: 0, mi: 0, s: 0, fraction: '' };
    let pm: boolean | undefined;
    let tzSign = 1;
    let tzh: number | undefined;
    let tzm = 0;
    fields.forEach((field, k) => {
      const v = m[k + 1]!;
      switch (field) {
        case 'YYYY':
          out.y = Number(v);
          break;
        case 'MM':
          out.mo = Number(v);
          break;
        case 'MON':
          out.mo = MONTHS.indexOf(v.toUpperCase()) + 1;
          break;
        case 'DD':
          out.d = Number(v);
          break;
        case 'HH24':
        case 'HH12':
          out.h = Number(v);
          break;
        case 'AM':
          pm = v.toUpperCase() === 'PM';
          break;
        case 'MI':
          out.mi = Number(v);
          break;
        case 'SS':
          out.s = Number(v);
          break;
        case 'FF':
          out.fraction = v;
          break;
        case 'TZH':
          tzSign = v.startsWith('-') ? -1 : 1;
          tzh = Math.abs(Number(v));
          break;
        case 'TZM':
          tzm = Number(v);
          break;
        case 'DY':
          break;
      }
    });
    if (pm !== undefined || fields.includes('HH12')) {
      if (out.h < 1 || out.h > 12) return undefined;
      out.h = (out.h % 12) + (pm ? 12 : 0);
    }
    if (out.mo < 1) return undefined;
    if (tzh !== undefined) out.offsetMinutes = tzSign * (tzh * 60 + tzm);
    return out;
  };
}
