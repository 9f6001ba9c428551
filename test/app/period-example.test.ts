import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validatePeriodFile } from "../../src/domain/periods/period-file.js";
import { PERIOD_2027 } from "./reminder-fixture.js";

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "period-2027.json");

describe("the README's period file for the coming year", () => {
  it("when examples/period-2027.json is validated, then it is accepted and is the period the reminder tests use", () => {
    const result = validatePeriodFile(JSON.parse(readFileSync(file, "utf8")) as unknown);
    expect(result.ok && result.period).toEqual(PERIOD_2027);
  });
});
