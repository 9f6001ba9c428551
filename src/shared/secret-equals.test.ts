import { describe, expect, it } from "vitest";
import { secretEquals } from "./secret-equals.js";

describe("secretEquals", () => {
  it("when the given secret is the configured one, then it matches", () => {
    expect(secretEquals("s3cret-ĐÃ-😀", "s3cret-ĐÃ-😀")).toBe(true);
  });

  it.each<[string, unknown]>([
    ["one character different", "s3cret-x"],
    ["a prefix of it", "s3cret"],
    ["longer than it", "s3cret-xyz-and-more"],
    ["empty", ""],
    ["differently cased", "S3CRET-XYZ"],
  ])("when the given secret is %s, then it does not match", (_case, given) => {
    expect(secretEquals(given, "s3cret-xyz")).toBe(false);
  });

  it.each<[string, unknown]>([
    ["missing", undefined],
    ["null", null],
    ["a repeated header (an array)", ["s3cret-xyz", "s3cret-xyz"]],
    ["a number", 42],
  ])("when what was sent is %s, then it does not match", (_case, given) => {
    expect(secretEquals(given, "s3cret-xyz")).toBe(false);
  });

  it.each([undefined, ""])("when no secret is configured (%j), then nothing matches, not even an empty header", (expected) => {
    expect(secretEquals("", expected)).toBe(false);
    expect(secretEquals("anything", expected)).toBe(false);
  });
});
