/**
 * The worker's canonical FLOAT text (src/validation/canonical.ts) against the Snowflake stand-in's
 * TO_VARCHAR(x, 'S0.0000000000000000EEEEE') (emulators/snowflake/values/float-text.ts), two separate
 * implementations of https://docs.snowflake.com/en/sql-reference/sql-format-models: the same text
 * for every double, and a text that reads back as the very same 64 bits.
 */
import fc from 'fast-check';
import { formatFloatModel } from '../../../emulators/snowflake/values/float-text';
import { canonicalFloat, canonicalValue, FLOAT_MODEL } from '../../../src/validation/canonical';

const bits = (x: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0);
};

const float32 = (x: number) => Math.fround(x);

/** Any finite double, short binary fractions (where ties at the 17th digit lie), float32 values. */
const doubles = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc
    .tuple(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), fc.integer({ min: 0, max: 25 }))
    .map(([m, j]) => (m * 2 ** 23) / 2 ** j),
  fc.float({ noNaN: true, noDefaultInfinity: true }).map(float32),
);

describe('canonical FLOAT text', () => {
  it('is what the stand-in prints, and reads back as the same 64 bits (generated doubles)', () => {
    fc.assert(
      fc.property(doubles, (x) => {
        const text = canonicalFloat(x);
        expect(text).toBe(formatFloatModel(x, FLOAT_MODEL));
        expect(text).toMatch(/^[+-]\d\.\d{16}E[+-]\d{3}$/);
        expect(bits(Number(text))).toBe(bits(x));
      }),
      { numRuns: 5000, seed: 20261207 },
    );
  });

  it.each([
    [0, '+0.0000000000000000E+000'],
    [-0, '-0.0000000000000000E+000'],
    [0.1, '+1.0000000000000001E-001'],
    [-1, '-1.0000000000000000E+000'],
    [Number.MIN_VALUE, '+4.9406564584124654E-324'],
    [2.2250738585072014e-308, '+2.2250738585072014E-308'],
    [Number.MAX_VALUE, '+1.7976931348623157E+308'],
    [-Number.MAX_VALUE, '-1.7976931348623157E+308'],
    [2 ** 53 + 2, '+9.0071992547409940E+015'],
    // 0.1 as a real (float32), widened exactly.
    [float32(0.1), '+1.0000000149011612E-001'],
    [float32(3.4028234663852886e38), '+3.4028234663852886E+038'],
    // Exact digits 1234567890123456|25: ties at the 17th digit, rounded away from zero.
    [123456789012345.625, '+1.2345678901234563E+014'],
    [-123456789012345.625, '-1.2345678901234563E+014'],
    [1234567890123456.25, '+1.2345678901234563E+015'],
    // 1234567890123456|75: no tie.
    [1234567890123456.75, '+1.2345678901234568E+015'],
  ])('%p -> %s', (x, text) => {
    expect(canonicalFloat(x)).toBe(text);
    expect(formatFloatModel(x, FLOAT_MODEL)).toBe(text);
  });

  it('tells apart doubles one bit apart, and -0 from 0', () => {
    expect(canonicalFloat(1)).not.toBe(canonicalFloat(1 + Number.EPSILON));
    expect(canonicalFloat(0.1)).not.toBe(canonicalFloat(0.1 + 2 ** -56));
    expect(canonicalFloat(-0)).not.toBe(canonicalFloat(0));
  });

  it('turns the text the worker loads (shortest round trip, -0 signed) into the canonical text', () => {
    expect(canonicalValue('float', '-0')).toBe('-0.0000000000000000E+000');
    expect(canonicalValue('float', String(float32(0.1)))).toBe('+1.0000000149011612E-001');
  });

  it('gives NaN and infinity, which SQL Server floats never hold, a text no finite double has', () => {
    expect(canonicalFloat(Number.NaN)).toBe('#NaN');
    expect(canonicalFloat(-Infinity)).toBe('#-Infinity');
  });
});
