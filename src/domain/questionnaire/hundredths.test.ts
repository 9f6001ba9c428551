import { describe, expect, it } from "vitest";
import { fromHundredths, hasAtMostTwoDecimals, linearHundredths, toHundredths } from "./hundredths.js";

describe("hasAtMostTwoDecimals", () => {
  it.each<[string, boolean, number]>([
    ["0", true, 0],
    ["a whole number", true, 18],
    ["one decimal", true, 1.5],
    ["two decimals", true, 0.01],
    ["two decimals on a large number", true, 123456.78],
    ["a negative with two decimals", true, -0.25],
    ["0.1 + 0.2 (binary noise, still two decimals)", true, 0.1 + 0.2],
    ["0.29 (0.29 × 100 is 28.999… in floating point)", true, 0.29],
    ["three decimals", false, 0.125],
    ["a trailing third decimal", false, 1.005],
    ["0.001", false, 0.001],
    ["2.675 (stored as 2.67499…)", false, 2.675],
    ["a tiny fraction", false, 1e-7],
    ["NaN", false, Number.NaN],
    ["Infinity", false, Number.POSITIVE_INFINITY],
  ])("when the value is %s, then it reports %s", (_case, expected, value) => {
    expect(hasAtMostTwoDecimals(value)).toBe(expected);
  });
});

describe("toHundredths and fromHundredths", () => {
  it.each<[number, number]>([
    [0, 0],
    [0.01, 1],
    [0.29, 29],
    [1.15, 115],
    [73.5, 7350],
    [100, 10_000],
  ])("when %s points are converted, then they are %i hundredths and convert back exactly", (points, hundredths) => {
    expect(toHundredths(points)).toBe(hundredths);
    expect(fromHundredths(hundredths)).toBe(points);
  });

  it("when hundredths are summed and converted back, then 0.1 + 0.2 is exactly 0.3", () => {
    expect(fromHundredths(toHundredths(0.1) + toHundredths(0.2))).toBe(0.3);
  });
});

describe("linearHundredths", () => {
  // [situation, expected, maxHundredths, value, target]
  it.each<[string, number, number, number, number]>([
    ["the value is 0", 0, 200, 0, 100],
    ["the value is negative (clamped to 0)", 0, 200, -5, 100],
    ["the value equals the target", 200, 200, 100, 100],
    ["the value is above the target (capped)", 200, 200, 250, 100],
    ["max 2, target 3, value 1: 66.666… rounds up", 67, 200, 1, 3],
    ["max 2, target 3, value 2: 133.333… rounds down", 133, 200, 2, 3],
    ["max 2, target 100, value 45.5", 91, 200, 45.5, 100],
    ["max 2, target 100, value 33.333: 66.666 rounds up", 67, 200, 33.333, 100],
    ["max 1, target 8, value 1: exactly 12.5 rounds half up", 13, 100, 1, 8],
    ["max 1, target 2, value 0.29: exactly 14.5 (naive float gives 14.499…) rounds half up", 15, 100, 0.29, 2],
    ["max 1, target 2, value 1.15: exactly 57.5 (naive float gives 57.499…) rounds half up", 58, 100, 1.15, 2],
    ["max 1, target 4, value 0.58: exactly 14.5 rounds half up", 15, 100, 0.58, 4],
    ["max 1, target 100, value 0.4: 0.4 rounds down", 0, 100, 0.4, 100],
    ["max 1, target 100, value 0.5: exactly 0.5 rounds half up", 1, 100, 0.5, 100],
    ["the value is written with an exponent (1e-7)", 0, 100, 1e-7, 1],
    ["the target is written with an exponent (1e21), value half of it", 50, 100, 5e20, 1e21],
    ["a fractional target (2.5) and value 1", 40, 100, 1, 2.5],
    ["max 0 (a criterion worth nothing)", 0, 0, 50, 100],
    ["a large maximum (100 points) at 1/3", 3333, 10_000, 1, 3],
  ])("when %s, then the score is %i hundredths", (_case, expected, maxH, value, target) => {
    expect(linearHundredths(maxH, value, target)).toBe(expected);
  });

  it("when the value sweeps 0..target in steps of 0.01, then the score never decreases and ends at the maximum", () => {
    let previous = -1;
    for (let k = 0; k <= 300; k++) {
      const score = linearHundredths(200, k / 100, 3);
      expect(score).toBeGreaterThanOrEqual(previous);
      previous = score;
    }
    expect(previous).toBe(200);
  });
});
