import { describe, expect, it } from "vitest";
import { parseNumberInput } from "./number-input.js";

type Unit = Parameters<typeof parseNumberInput>[1];

describe("parseNumberInput", () => {
  it.each<[string, Unit, number]>([
    ["45", "percent", 45],
    ["45%", "percent", 45],
    ["45 %", "percent", 45],
    ["45,5", "percent", 45.5],
    ["45.5", "percent", 45.5],
    ["12,5", "percent", 12.5],
    ["12,500%", "percent", 12.5],
    ["1.000", "count", 1000],
    ["1,000", "count", 1000],
    ["1 000", "count", 1000],
    ["1\u00a0000", "count", 1000],
    ["1.000.000", "vnd", 1_000_000],
    ["1.500.000 đồng", "vnd", 1_500_000],
    ["1 000 000 VND", "vnd", 1_000_000],
    ["1.234,5", "count", 1234.5],
    ["1,234.5", "count", 1234.5],
    ["12 345,5", "count", 12345.5],
    ["0.500", "count", 0.5],
    ["+7", "count", 7],
    ["  45  ", "count", 45],
  ])("when an official types %j for a %s, then it reads %d", (input, unit, value) => {
    expect(parseNumberInput(input, unit)).toEqual({ ok: true, value });
  });

  it.each<[string, Unit, number]>([
    ["-5", "count", -5],
    ["-12,5", "percent", -12.5],
    ["-1.000", "vnd", -1000],
  ])("when a negative number %j is typed for a %s, then it is read as %d (range checks reject it later)", (input, unit, value) => {
    expect(parseNumberInput(input, unit)).toEqual({ ok: true, value });
  });

  it.each<[string, Unit]>([
    ["abc", "count"],
    ["4 5", "count"],
    ["1..2", "count"],
    ["", "count"],
    ["   ", "percent"],
    ["45,", "count"],
    ["45.", "percent"],
    ["1,23,456", "count"],
    ["1.000,5.5", "count"],
    ["12 34", "count"],
    ["1e3", "count"],
    ["45 người", "count"],
    ["5%%", "percent"],
    ["Infinity", "count"],
  ])("when %j is typed for a %s, then it is not a number", (input, unit) => {
    expect(parseNumberInput(input, unit)).toEqual({ ok: false });
  });
});
