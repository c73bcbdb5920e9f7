/**
 * VARIANT text as Snowflake's PARSE_JSON reads it: JSON plus what its parser also accepts (keys without
 * quotes, NaN, Infinity, -Infinity and undefined as values), written back in one canonical form (no
 * white space, a repeated key keeps its last value). The driver reads the non-JSON words itself.
 */
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const STRING = /"(?:[^"\\]|\\.)*"/y;
const WORDS = new Set(['true', 'false', 'null', 'NaN', 'Infinity', 'undefined']);

export function canonicalJson(text: string): string {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at position ${i}`);
  };
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m) i += m[0].length;
    return m?.[0];
  };
  const expect = (c: string): void => {
    skipSpace();
    if (text[i] !== c) fail(`Expected '${c}'`);
    i++;
  };
  /** Reads `[` or `{` contents up to `close`, item by item. */
  const items = (close: string, item: () => void): void => {
    skipSpace();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      skipSpace();
      if (text[i] === ',') i++;
      else return expect(close);
    }
  };
  const value = (): string => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      const members = new Map<string, string>();
      items('}', () => {
        skipSpace();
        const key =
          text[i] === '"' ? (JSON.parse(match(STRING) ?? fail('Bad string')) as string) : match(WORD);
        if (key === undefined) fail('Expected property name');
        expect(':');
        members.delete(key!);
        members.set(key!, value());
      });
      return `{${[...members].map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
    }
    if (c === '[') {
      i++;
      const elements: string[] = [];
      items(']', () => elements.push(value()));
      return `[${elements.join(',')}]`;
    }
    if (c === '"') return JSON.stringify(JSON.parse(match(STRING) ?? fail('Bad string')));
    if (text.startsWith('-Infinity', i)) return ((i += 9), '-Infinity');
    const number = match(NUMBER);
    if (number !== undefined) return JSON.stringify(Number(number));
    const word = match(WORD);
    if (word !== undefined && WORDS.has(word)) return word;
    return fail('Unexpected token');
  };
  const result = value();
  skipSpace();
  if (i < text.length) fail('Unexpected token');
  return result;
}

const NON_JSON: Record<string, unknown> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, undefined };
/** Marks a non-JSON word while JSON.parse reads the rest: U+0000 starts no string of canonical text. */
const MARK = '\u0000';

/** The JavaScript value of canonical VARIANT text, non-JSON words included. */
export function parseCanonicalJson(text: string): unknown {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-Infinity|Infinity|NaN|undefined/g, (m) =>
    m.startsWith('"') ? m : `"\\u0000${m}"`,
  );
  return JSON.parse(marked, (_key, v: unknown) =>
    typeof v === 'string' && v.startsWith(MARK) ? NON_JSON[v.slice(1)] : v,
  );
}

/** A member of a canonical object (its key) or array (its index). */
export interface VariantEntry {
  key: string | null;
  index: number | null;
  value: string;
}

/** The end (exclusive) of the canonical value that starts at `i`. */
function valueEnd(text: string, i: number): number {
  if (text[i] === '"') {
    STRING.lastIndex = i;
    return i + STRING.exec(text)![0].length;
  }
  if (text[i] === '{' || text[i] === '[') {
    let depth = 0;
    for (let k = i; k < text.length; k++) {
      const c = text[k];
      if (c === '"') k = valueEnd(text, k) - 1;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) return k + 1;
    }
  }
  let k = i;
  while (k < text.length && !',}]'.includes(text[k]!)) k++;
  return k;
}

/** The members of canonical object or array text, in order; undefined for any other value. */
export function variantEntries(text: string): VariantEntry[] | undefined {
  const open = text[0];
  if (open !== '{' && open !== '[') return undefined;
  const close = open === '{' ? '}' : ']';
  const entries: VariantEntry[] = [];
  let i = 1;
  while (text[i] !== close) {
    let key: string | null = null;
    if (open === '{') {
      const keyEnd = valueEnd(text, i);
      key = JSON.parse(text.slice(i, keyEnd)) as string;
      i = keyEnd + 1; // past ':'
    }
    const end = valueEnd(text, i);
    entries.push({ key, index: open === '[' ? entries.length : null, value: text.slice(i, end) });
    i = text[end] === ',' ? end + 1 : end;
  }
  return entries;
}

/**
 * The canonical text at `path` (object keys, array indexes) inside canonical text, as Snowflake's `v:a.b[0]`
 * reads it: undefined where there is nothing (a missing key, an index past the end, a key into an array).
 */
export function variantAt(text: string, path: (string | number)[]): string | undefined {
  let current = text;
  for (const step of path) {
    const found = variantEntries(current)?.find((e) =>
      typeof step === 'number' ? e.index === step : e.key === step,
    );
    if (!found) return undefined;
    current = found.value;
  }
  return current;
}

/**
 * The JSON documents of a file's text, one after another (as NDJSON or simply concatenated), each with
 * the line it starts on. A document is not checked here: canonicalJson reads (or refuses) it.
 */
export function* jsonDocuments(text: string): Generator<{ text: string; line: number }> {
  let i = 0;
  let line = 1;
  const advance = (to: number): void => {
    for (; i < to; i++) if (text[i] === '\n') line++;
  };
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) advance(i + 1);
    if (i >= text.length) return;
    const start = i;
    const startLine = line;
    let end: number;
    if (text[i] === '{' || text[i] === '[') {
      let depth = 0;
      end = text.length;
      for (let k = i; k < text.length; k++) {
        const c = text[k];
        if (c === '"') {
          STRING.lastIndex = k;
          const m = STRING.exec(text);
          if (!m) break;
          k += m[0].length - 1;
        } else if (c === '{' || c === '[') depth++;
        else if ((c === '}' || c === ']') && --depth === 0) {
          end = k + 1;
          break;
        }
      }
    } else {
      end = i;
      while (end < text.length && !/\s/.test(text[end]!)) end++;
    }
    advance(end);
    yield { text: text.slice(start, end), line: startLine };
  }
}
