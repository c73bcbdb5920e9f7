/**
 * FLOAT as text, as https://docs.snowflake.com/en/sql-reference/sql-format-models defines it. Pure.
 *
 * Without a format model: "Default formats for printing ... DOUBLE ... TME", and "TME prints the number
 * in scientific notation, i.e. with exponent (same as EE) and one digit in the integer position", with
 * "a minimal number of digits based on the value of the number". How many digits that is for a double
 * the page does not say, and its examples differ (the TO_CHAR page prints TO_VARCHAR(LOG(3,4)) as
 * 1.261859507; the numeric types page shows a FLOAT as 1.23456789012346e+28, 15 digits, "Precision is
 * approximately 15 digits"). The stand-in prints at most 15 significant digits, trailing zeros dropped:
 * never more than Snowflake is documented to print, so nothing may rely on the default text telling two
 * doubles apart. The special values print as the numeric types page spells them: NaN, inf, -inf.
 *
 * With a fixed-position model, the subset with an exponent: an optional sign S, one digit position
 * (0 or 9), a period (or D) and 0 elements for the fraction, and an exponent element EE to EEEEE.
 * Anything else is refused as not implemented, as are NaN and infinity, for which the page says only
 * that fixed-position models "report overflow" (the exact text is not documented).
 */
import { unsupported } from '../errors';

/**
 * How a fixed-position model rounds an exact tie: away from zero as documented for ROUND, or to even
 * under the `roundFloatTiesToEven` fault (faults.ts), which plays an account whose formatter rounds
 * otherwise, for the calibration probe's tests. One switch for the process: faults are for tests.
 */
let tiesToEven = false;
export function setFloatTiesToEven(on: boolean): void {
  tiesToEven = on;
}

/** Up to 15 significant digits, the precision the numeric types page gives FLOAT. */
const DEFAULT_DIGITS = 15;

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return undefined;
}

const isNegative = (x: number) => x < 0 || Object.is(x, -0);

/** `d.ddde±x` of |x| split into its mantissa and its exponent. */
function scientific(x: number, fractionDigits: number): { mantissa: string; exponent: number } {
  const text = Math.abs(x).toExponential(fractionDigits);
  const e = text.indexOf('e');
  return { mantissa: text.slice(0, e), exponent: Number(text.slice(e + 1)) };
}

/** The significant digits of |x|'s exact binary value, trailing zeros dropped. */
function exactDigits(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const raw = view.getBigUint64(0);
  const biased = Number(raw >> 52n);
  const fraction = raw & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const digits = exponent >= 0 ? mantissa << BigInt(exponent) : mantissa * 5n ** BigInt(-exponent);
  return digits.toString().replace(/0+$/, '');
}

/** `scientific`, but an exact tie at the last kept digit goes to the even digit (the fault). */
function scientificTiesToEven(x: number, fractionDigits: number): { mantissa: string; exponent: number } {
  const away = scientific(x, fractionDigits);
  const exact = exactDigits(x);
  const kept = exact.slice(0, fractionDigits + 1);
  const tie = exact.length === fractionDigits + 2 && exact.endsWith('5');
  if (!tie || Number(kept[kept.length - 1]) % 2 === 1) return away;
  // Rounding down never carries into the exponent.
  return { mantissa: fractionDigits ? `${kept[0]}.${kept.slice(1)}` : kept, exponent: away.exponent };
}

/** TO_VARCHAR(<FLOAT>) with no model: TME, at most 15 digits (see the top of this file). */
export function formatFloatDefault(x: number): string {
  const named = special(x);
  if (named) return named;
  const { mantissa, exponent } = scientific(x, DEFAULT_DIGITS - 1);
  const digits = mantissa.replace(/\.?0+$/, '');
  return `${isNegative(x) ? '-' : ''}${digits}E${exponent}`;
}

interface FloatModel {
  /** S: + or -; otherwise a blank for a non-negative number, as "fixed-position formats always reserve a space for the number's sign". */
  explicitSign: boolean;
  fractionDigits: number;
  /** 2 for EE (variable width), 3 to 5 for the fixed-width exponents. */
  exponentWidth: number;
  exponentLetter: 'E' | 'e';
}

const FIXED_EXPONENT_MODEL = /^(S?)[09](?:[.D](0+))?([Ee])([Ee]{1,4})$/i;
const models = new Map<string, FloatModel>();

function parseFloatModel(model: string): FloatModel {
  const cached = models.get(model);
  if (cached) return cached;
  const m = FIXED_EXPONENT_MODEL.exec(model);
  if (!m) {
    throw unsupported(
      `TO_VARCHAR of a FLOAT with the format model '${model}' (implemented: [S]0.0...0EE to EEEEE)`,
    );
  }
  const parsed: FloatModel = {
    explicitSign: m[1] !== '',
    fractionDigits: m[2]?.length ?? 0,
    exponentWidth: 1 + m[4]!.length,
    exponentLetter: m[3] === 'E' ? 'E' : 'e',
  };
  if (models.size > 100) models.clear();
  models.set(model, parsed);
  return parsed;
}

/**
 * The exponent element: "EE ... Variable-width exponent, from 2 to 5 characters, with no + sign" (space
 * padded on the right to 5 in fill mode: "the variable-length format elements, such as EE and MI, are
 * space-padded on the right"); "EEE, EEEE, and EEEEE always print the + or - sign for the exponent and
 * the requested number of digits (leading zeros are not suppressed). Exponent overflow is indicated by #
 * in place of digits."
 */
function exponentText(exponent: number, model: FloatModel): string {
  const letter = model.exponentLetter;
  if (model.exponentWidth === 2) return `${letter}${exponent}`.padEnd(5, ' ');
  const digits = model.exponentWidth - 2;
  const magnitude = String(Math.abs(exponent));
  const body = magnitude.length > digits ? '#'.repeat(digits) : magnitude.padStart(digits, '0');
  return `${letter}${exponent < 0 ? '-' : '+'}${body}`;
}

/**
 * TO_VARCHAR(<FLOAT>, model) for the fixed-position models with an exponent. "The exponent element
 * causes fixed-position numbers to be normalized so that the first digit in the integer part is 1 to 9
 * (unless the value of the number is zero, in which case the value of the exponent is also zero)".
 * Digits are rounded correctly from the binary value, ties away from zero (toExponential), as ROUND
 * rounds by default (https://docs.snowflake.com/en/sql-reference/functions/round); -0 prints its sign,
 * since "floating-point numbers have two distinct zero values (+0. and -0.)".
 */
export function formatFloatModel(x: number, model: string): string {
  const parsed = parseFloatModel(model);
  if (special(x)) {
    throw unsupported(`TO_VARCHAR of ${special(x)} with a fixed-position format model (overflow text)`);
  }
  const { mantissa, exponent } = (tiesToEven ? scientificTiesToEven : scientific)(x, parsed.fractionDigits);
  const sign = isNegative(x) ? '-' : parsed.explicitSign ? '+' : ' ';
  return `${sign}${mantissa}${exponentText(exponent, parsed)}`;
}
