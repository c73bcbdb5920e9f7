/**
 * A row's canonical text as the worker builds it (see ./canonical.ts for the rules). Apart from
 * canonical.ts because digesting needs node:crypto, which the workflow bundle must not import.
 */
import { createHash } from 'node:crypto';
import type { ValueKind } from '../mapping/type-map';
import { canonicalValue, DIGEST_MARK, FIELD_SEPARATOR, isFramed, NULL_FIELD } from './canonical';

/** A digested value as it stands in a row's text: the mark and the lower-case hex MD5 of its UTF-8 text. */
export const digestOf = (canonical: string) =>
  DIGEST_MARK + createHash('md5').update(canonical).digest('hex');

/** Turns a row's loaded values into canonical values (NULL stays null) and into the row's text. */
export interface RowCanonicalizer {
  values(loaded: (string | null)[]): (string | null)[];
  text(canonical: (string | null)[]): string;
  /** text(values(loaded)) in one pass, without the array of canonical values between (the hot path). */
  textOfLoaded(loaded: (string | null)[]): string;
}

/** `digested[i]`: column i's values stand in a row's text as their MD5 (see isDigested). */
export function rowCanonicalizer(kinds: ValueKind[], digested: boolean[] = []): RowCanonicalizer {
  // Built once per column, so the hot path neither switches on the kind nor frames by a flag per value.
  const frames = kinds.map((kind, i) =>
    digested[i]
      ? digestOf
      : isFramed(kind)
        ? (v: string) => `${Buffer.byteLength(v)}:${v}`
        : (v: string) => v,
  );
  const loadedFields = kinds.map((kind, i) => {
    const frame = frames[i]!;
    return (v: string) => frame(canonicalValue(kind, v));
  });
  const rowText = (values: (string | null)[], fields: ((v: string) => string)[]) => {
    let text = '';
    for (let i = 0; i < fields.length; i += 1) {
      const v = values[i];
      if (i > 0) text += FIELD_SEPARATOR;
      text += v === null || v === undefined ? NULL_FIELD : fields[i]!(v);
    }
    return text;
  };
  return {
    values: (loaded) => loaded.map((v, i) => (v === null ? null : canonicalValue(kinds[i]!, v))),
    text: (canonical) => rowText(canonical, frames),
    textOfLoaded: (loaded) => rowText(loaded, loadedFields),
  };
}
