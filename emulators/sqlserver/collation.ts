/**
 * The server collation, SQL_Latin1_General_CP1_CI_AS: sort keys that order and compare strings as it does
 * (case-insensitive, accent-sensitive, trailing spaces ignored, hyphen and apostrophe weighed last), and
 * code page 1252 for the non-Unicode types.
 *
 * A key is compared byte by byte. It has three levels, compared one after the other over the whole string
 * like Windows collations do: base letters, then accents, then the ignorable hyphens and apostrophes.
 * This is a model of the collation, not Microsoft's weight tables: letters outside Latin sort by code
 * point, and characters the real collation leaves undefined (emoji) are not treated as equal.
 */

/** SQL_Latin1_General_CP1_CI_AS in TDS form: LCID 0x0409, flags CI/AS, sort id 52. */
export const COLLATION_BYTES = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);
export const COLLATION_NAME = 'SQL_Latin1_General_CP1_CI_AS';

const CP1252_HIGH = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1,
  0x017d, -1, -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, -1, 0x017e, 0x0178,
];
const UNICODE_TO_CP1252 = new Map<number, number>();
CP1252_HIGH.forEach((cp, i) => {
  if (cp >= 0) UNICODE_TO_CP1252.set(cp, 0x80 + i);
});

function cp1252Byte(code: number): number {
  if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
  return UNICODE_TO_CP1252.get(code) ?? 0x3f;
}

/** What a string becomes in a varchar column: characters outside code page 1252 turn into '?'. */
export function toCodePage1252(text: string): string {
  let representable = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 && (c < 0xa0 || c > 0xff) && !UNICODE_TO_CP1252.has(c)) {
      representable = false;
      break;
    }
  }
  if (representable) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const b = cp1252Byte(text.charCodeAt(i));
    out += b === 0x3f ? '?' : text[i];
  }
  return out;
}

export function encodeCp1252(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) out[i] = cp1252Byte(text.charCodeAt(i));
  return out;
}

export function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    out += String.fromCharCode(
      b >= 0x80 && b < 0xa0 ? (CP1252_HIGH[b - 0x80]! < 0 ? 0xfffd : CP1252_HIGH[b - 0x80]!) : b,
    );
  }
  return out;
}

// Primary weights: punctuation and symbols first, then digits, then letters; three bytes each.
const PUNCTUATION = 0x010000;
const DIGIT = 0x200000;
const LETTER = 0x300000;
const LEVEL_SEPARATOR = 1;
const POSITION_END = 2;
const MARK_BASE = 0x000100;

/** Letters that expand or carry a stroke the decomposition does not separate. */
const SPECIAL: Record<string, [base: string, mark?: number]> = {
  ß: ['ss'],
  æ: ['ae'],
  œ: ['oe'],
  ø: ['o', 0x338],
  đ: ['d', 0x335],
  ł: ['l', 0x337],
  ħ: ['h', 0x335],
};

const isLetter = /\p{L}/u;
const isMark = /\p{M}/u;

class KeyWriter {
  private bytes: number[] = [];
  weight(w: number): void {
    this.bytes.push((w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff);
  }
  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

function primaryWeight(ch: string): number {
  const code = ch.codePointAt(0)!;
  if (code >= 0x30 && code <= 0x39) return DIGIT + code - 0x30;
  if (code < 0x80) {
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) return LETTER + (code | 0x20);
    return PUNCTUATION + code;
  }
  return isLetter.test(ch) ? LETTER + ch.toLowerCase().codePointAt(0)! : PUNCTUATION + code;
}

/** Primary weights of ASCII characters, for the common all-ASCII case. */
const ASCII_WEIGHTS = Array.from({ length: 128 }, (_, c) => primaryWeight(String.fromCharCode(c)));

/**
 * The sort key of a string under the server collation: equal keys mean `=` is true, and the byte order of
 * keys is the collation's order.
 */
export function collationKey(text: string): Buffer {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || c === 0x2d || c === 0x27) return fullKey(text.slice(0, end));
  }
  // Plain ASCII has no accents and nothing ignorable: the key is its primary weights and a separator.
  const key = Buffer.allocUnsafe(end * 3 + 3);
  let p = 0;
  for (let i = 0; i < end; i++) {
    const w = ASCII_WEIGHTS[text.charCodeAt(i)]!;
    key[p++] = w >>> 16;
    key[p++] = (w >>> 8) & 0xff;
    key[p++] = w & 0xff;
  }
  key[p++] = 0;
  key[p++] = 0;
  key[p] = LEVEL_SEPARATOR;
  return key;
}

function fullKey(text: string): Buffer {
  const primary = new KeyWriter();
  const marks: number[][] = [];
  const ignorables: [position: number, code: number][] = [];
  let position = 0;
  const addBase = (base: string, accents: number[]): void => {
    for (const b of base) {
      primary.weight(primaryWeight(b));
      marks.push(b === base[0] ? accents : []);
      position++;
    }
  };
  for (const raw of text) {
    let ch = raw;
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) ch = String.fromCharCode(code - 0xfee0);
    if (ch === '-' || ch === "'") {
      ignorables.push([position, ch.charCodeAt(0)]);
      continue;
    }
    if (ch === '\u00ad') continue;
    const lower = ch.toLowerCase();
    const special = SPECIAL[lower];
    if (special) {
      addBase(special[0], special[1] === undefined ? [] : [special[1]]);
      continue;
    }
    if (ch.codePointAt(0)! < 0x80) {
      addBase(lower, []);
      continue;
    }
    const decomposed = lower.normalize('NFD');
    let base = '';
    const accents: number[] = [];
    for (const part of decomposed) {
      if (isMark.test(part) && base !== '') accents.push(part.codePointAt(0)!);
      else base += part;
    }
    addBase(base === '' ? lower : base, accents);
  }
  const key = primary;
  key.weight(LEVEL_SEPARATOR);
  // Trailing positions without accents are left out: they would only ever compare as equal or smaller.
  let last = marks.length;
  while (last > 0 && marks[last - 1]!.length === 0) last--;
  for (let i = 0; i < last; i++) {
    for (const mark of marks[i]!) key.weight(MARK_BASE + mark);
    key.weight(POSITION_END);
  }
  if (ignorables.length > 0) {
    key.weight(LEVEL_SEPARATOR);
    for (const [pos, c] of ignorables) {
      key.weight(POSITION_END + 1 + pos);
      key.weight(c);
    }
  }
  return key.toBuffer();
}

/** binary/varbinary compare as if the shorter value were padded with zero bytes. */
export function binaryKey(bytes: Uint8Array): Buffer {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return Buffer.from(bytes.buffer, bytes.byteOffset, end);
}
