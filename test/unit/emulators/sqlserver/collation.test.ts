import {
  binaryKey,
  collationKey,
  decodeCp1252,
  encodeCp1252,
  toCodePage1252,
} from '../../../../emulators/sqlserver/collation';

const compare = (a: string, b: string): number => Math.sign(Buffer.compare(collationKey(a), collationKey(b)));
const sortAsServer = (values: string[]): string[] => [...values].sort((a, b) => compare(a, b));

describe('SQL_Latin1_General_CP1_CI_AS sort keys', () => {
  it('ignore case and trailing spaces, but not leading spaces or accents', () => {
    expect(compare('abc', 'ABC ')).toBe(0);
    expect(compare('abc', 'abc   ')).toBe(0);
    expect(compare(' abc', 'abc')).not.toBe(0);
    expect(compare('résumé', 'resume')).not.toBe(0);
    expect(compare('Résumé', 'rÉsumÉ')).toBe(0);
  });

  it('compare base letters over the whole string before accents', () => {
    expect(sortAsServer(['resumes', 'résumé', 'resume', 'Resume'])).toEqual([
      'resume',
      'Resume',
      'résumé',
      'resumes',
    ]);
  });

  it('put punctuation before digits and digits before letters', () => {
    expect(sortAsServer(['b', 'a', '_x', '9', '1', ' '])).toEqual([' ', '_x', '1', '9', 'a', 'b']);
  });

  it('weigh hyphens and apostrophes last (word sort)', () => {
    expect(sortAsServer(['coopa', 'co-op', 'coop'])).toEqual(['coop', 'co-op', 'coopa']);
    expect(compare('co-op', 'coop')).not.toBe(0);
  });

  it('expand ß and compare full-width letters as their ASCII forms', () => {
    expect(compare('Straße', 'STRASSE')).toBe(0);
    expect(compare('Ａbc', 'abc')).toBe(0);
  });

  it('orders plain ASCII keys and keys with accents consistently', () => {
    expect(sortAsServer(['abd', 'abç', 'ABC', 'abc-'])).toEqual(['ABC', 'abc-', 'abç', 'abd']);
  });

  it('keeps a total order in which a prefix sorts first', () => {
    expect(sortAsServer(['ab', 'a', 'abc', ''])).toEqual(['', 'a', 'ab', 'abc']);
  });

  it('compares binaries as if padded with zero bytes', () => {
    expect(binaryKey(Buffer.from([1, 0, 0]))).toEqual(binaryKey(Buffer.from([1])));
    expect(Buffer.compare(binaryKey(Buffer.from([1])), binaryKey(Buffer.from([1, 2])))).toBe(-1);
  });
});

describe('code page 1252', () => {
  it('keeps what it can represent and turns the rest into question marks', () => {
    expect(toCodePage1252('café €')).toBe('café €');
    expect(toCodePage1252('Ωmega 😀')).toBe('?mega ??');
  });

  it('encodes and decodes the 0x80-0x9F block', () => {
    expect(encodeCp1252('€‚ƒ„…Ÿ')).toEqual(Buffer.from([0x80, 0x82, 0x83, 0x84, 0x85, 0x9f]));
    expect(decodeCp1252(Buffer.from([0x80, 0xe9, 0x41]))).toBe('€éA');
  });
});
