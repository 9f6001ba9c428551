import type { Row } from "./driver.js";

/** Column readers for driver rows, which differ by database (SQLite: dates as text, booleans as 0/1). */
export const column = {
  text(row: Row, name: string): string {
    const value = row[name];
    if (typeof value !== "string") throw new Error(`column ${name}: expected text, got ${typeof value}`);
    return value;
  },
  textOrNull(row: Row, name: string): string | null {
    return row[name] === null || row[name] === undefined ? null : column.text(row, name);
  },
  number(row: Row, name: string): number {
    const value = row[name];
    const number = typeof value === "bigint" ? Number(value) : value;
    if (typeof number !== "number") throw new Error(`column ${name}: expected a number, got ${typeof value}`);
    return number;
  },
  numberOrNull(row: Row, name: string): number | null {
    return row[name] === null || row[name] === undefined ? null : column.number(row, name);
  },
  date(row: Row, name: string): Date {
    const value = row[name];
    const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : null;
    if (date === null || Number.isNaN(date.getTime())) throw new Error(`column ${name}: expected a date`);
    return date;
  },
  dateOrNull(row: Row, name: string): Date | null {
    return row[name] === null || row[name] === undefined ? null : column.date(row, name);
  },
};
