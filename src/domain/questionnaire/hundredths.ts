/**
 * Scores are exact to two decimals, so all arithmetic on them happens in integer hundredths.
 * Floating point is only ever touched at the edges (reading a file, printing JSON).
 */

/** True when `value` has at most two decimals (tolerating binary representation noise such as 0.1 + 0.2). */
export function hasAtMostTwoDecimals(value: number): boolean {
  const scaled = value * 100;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

export function toHundredths(value: number): number {
  return Math.round(value * 100);
}

export function fromHundredths(hundredths: number): number {
  return hundredths / 100;
}

/** A finite number as an exact fraction, read from its shortest decimal representation. */
function toFraction(value: number): { num: bigint; den: bigint } {
  const [mantissa = "0", exponentText] = value.toString().toLowerCase().split("e");
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const negative = mantissa.startsWith("-");
  const [whole = "0", fraction = ""] = mantissa.replace("-", "").split(".");
  let num = BigInt(whole + fraction);
  let den = 10n ** BigInt(fraction.length);
  if (exponent > 0) num *= 10n ** BigInt(exponent);
  if (exponent < 0) den *= 10n ** BigInt(-exponent);
  return { num: negative ? -num : num, den };
}

/**
 * `maxHundredths × min(value, target) / target`, rounded half-up to a whole hundredth, computed exactly
 * (the "linear" scoring rule; 2 × 33.333/100 must not drift).
 */
export function linearHundredths(maxHundredths: number, value: number, target: number): number {
  const v = toFraction(Math.max(0, Math.min(value, target)));
  const t = toFraction(target);
  const num = BigInt(maxHundredths) * v.num * t.den;
  const den = v.den * t.num;
  return Number((2n * num + den) / (2n * den));
}
