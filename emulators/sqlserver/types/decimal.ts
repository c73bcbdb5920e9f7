/**
 * Exact decimals as scaled bigints (123.45 at scale 2 is 12345n), so decimal(38, s) and money never pass
 * through a double.
 */

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 80; i++, p *= 10n) POW10.push(p);
export const pow10 = (n: number): bigint => POW10[n] ?? 10n ** BigInt(n);

/** Changes the scale, rounding half away from zero as SQL Server does. */
export function rescale(value: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return value * pow10(toScale - fromScale);
  const divisor = pow10(fromScale - toScale);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  let quotient = abs / divisor;
  if ((abs % divisor) * 2n >= divisor) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Changes the scale by cutting digits off (toward zero), as a conversion to an integer type does. */
export function truncateScale(value: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return value * pow10(toScale - fromScale);
  return value / pow10(fromScale - toScale);
}

export const fitsPrecision = (value: bigint, precision: number): boolean =>
  (value < 0n ? -value : value) < pow10(precision);

/** Digits of the integer part and of the scale, SQL Server style: `-0.50`, `12.3400`, `7`. */
export function formatScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  if (scale === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(scale + 1, '0');
  const int = padded.slice(0, padded.length - scale);
  return `${negative ? '-' : ''}${int}.${padded.slice(padded.length - scale)}`;
}

/** Money text with thousands separators (CONVERT style 1). */
export function groupThousands(text: string): string {
  const [int, frac] = text.split('.');
  const negative = int!.startsWith('-');
  const digits = negative ? int!.slice(1) : int!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + grouped + (frac === undefined ? '' : '.' + frac);
}

export interface ParsedDecimal {
  value: bigint;
  scale: number;
}

/**
 * Reads `[+-]digits[.digits]` (surrounding blanks allowed). `money` also accepts a currency sign and
 * thousands separators. Undefined when SQL Server would refuse the text.
 */
export function parseDecimalText(text: string, money = false): ParsedDecimal | undefined {
  let t = text.trim();
  if (money) t = t.replace(/^([+-]?)\s*[$€£¥]/, '$1').replace(/,/g, '');
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return undefined;
  const frac = m[3] ?? '';
  const unsigned = BigInt((m[2] || '0') + frac);
  return { value: m[1] === '-' ? -unsigned : unsigned, scale: frac.length };
}

/** A double as a scaled decimal, through its shortest exact-enough text (17 significant digits). */
export function numberToScaled(x: number, scale: number): bigint {
  const text = x.toPrecision(17);
  const [mantissa, exp] = text.split('e');
  const parsed = parseDecimalText(mantissa!)!;
  const exponent = exp === undefined ? 0 : Number(exp);
  const shifted =
    exponent >= 0
      ? {
          value: parsed.value * pow10(Math.max(0, exponent - parsed.scale)),
          scale: Math.max(0, parsed.scale - exponent),
        }
      : { value: parsed.value, scale: parsed.scale - exponent };
  return rescale(shifted.value, shifted.scale, scale);
}

export const scaledToNumber = (value: bigint, scale: number): number => Number(formatScaled(value, scale));
