import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefinitionFile, readDefinitionFile, shippedDefinitionFiles } from "../../src/definitions/definition-files.js";
import { readZip, writeStoredZip } from "../../src/definitions/xlsx-zip.js";
import { readDefinitionWorkbook } from "../../src/definitions/xlsx-read.js";
import { definitionWorkbookBytes } from "../../src/definitions/xlsx-write.js";

/**
 * Definition workbooks as officers' spreadsheet programs save them: the template and every export, opened and saved
 * by LibreOffice Calc (headless) and by openpyxl, read back to the same definition; and files an accident or an
 * attacker would bring (a cell in the last row, a zip bomb, control characters), refused on their real cause.
 * LibreOffice and openpyxl come from Debian (.ci/run installs them); a machine without them skips the round trips,
 * CI fails instead.
 */

const SOFFICE = ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"].find((p) => existsSync(p));
const PYTHON = "/usr/bin/python3";
const hasOpenpyxl = (() => {
  try {
    execFileSync(PYTHON, ["-c", "import openpyxl"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
for (const [missing, what] of [
  [SOFFICE === undefined, "LibreOffice (apt-get install libreoffice-calc-nogui)"],
  [!hasOpenpyxl, "openpyxl (apt-get install python3-openpyxl)"],
] as const) {
  if (!missing) continue;
  if (process.env.CI) throw new Error(`${what} is required in CI for the workbook round trips`);
  console.warn(`NOTICE: ${what} is not installed; its workbook round trips are SKIPPED on this machine.`);
}

const shipped = shippedDefinitionFiles().map(loadDefinitionFile);

let dir: string;
const file = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "pdx-roundtrip-"));
  writeFileSync(file("template.xlsx"), await definitionWorkbookBytes(null));
  for (const definition of shipped) writeFileSync(file(`${definition.id}.xlsx`), await definitionWorkbookBytes(definition));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = () => ["template", ...shipped.map((d) => d.id)];

describe.skipIf(SOFFICE === undefined)("workbooks saved by LibreOffice Calc", () => {
  it("when the template and every export are opened and saved by LibreOffice, then each reads back to the same definition", { timeout: 120_000 }, async () => {
    mkdirSync(file("lo"));
    // A profile of its own, so that a LibreOffice someone has open elsewhere does not take the conversion over.
    execFileSync(SOFFICE ?? "soffice", [`-env:UserInstallation=file://${file("lo-profile")}`, "--headless", "--convert-to", "xlsx", "--outdir", file("lo"), ...names().map((n) => file(`${n}.xlsx`))], { stdio: "ignore", timeout: 110_000 });
    for (const definition of shipped) expect(await readDefinitionFile(file(`lo/${definition.id}.xlsx`))).toEqual(definition);
    const original = await readDefinitionWorkbook(file("template.xlsx"));
    const resaved = await readDefinitionWorkbook(file("lo/template.xlsx"));
    expect(resaved.ok).toBe(false);
    expect(resaved).toEqual(original);
  });
});

describe.skipIf(!hasOpenpyxl)("workbooks saved by openpyxl", () => {
  const python = (script: string, ...args: string[]) => execFileSync(PYTHON, ["-c", script, ...args], { encoding: "utf8" });

  it("when the template and every export are saved unchanged by openpyxl, then each reads back (its cell comments no longer break the reader)", async () => {
    python("import openpyxl, sys\nfor src in sys.argv[1:]:\n    openpyxl.load_workbook(src).save(src.replace('.xlsx', '-py.xlsx'))", ...names().map((n) => file(`${n}.xlsx`)));
    // The real cause of the old refusal: openpyxl keeps the instructions' comment where exceljs does not look.
    expect([...readZip(readFileSync(file("template-py.xlsx")), { fileBytes: 1e8, unpackedBytes: 1e8, entries: 1e4 }).keys()]).toContain("xl/comments/comment1.xml");
    for (const definition of shipped) expect(await readDefinitionFile(file(`${definition.id}-py.xlsx`))).toEqual(definition);
    expect(await readDefinitionWorkbook(file("template-py.xlsx"))).toEqual(await readDefinitionWorkbook(file("template.xlsx")));
  });

  it("when a question is edited, the instructions sheet deleted and another renamed-away sheet added, then the edit is read and nothing else changes", async () => {
    const [definition] = shipped;
    if (!definition) throw new Error("no shipped definition");
    python(
      "import openpyxl, sys\nwb = openpyxl.load_workbook(sys.argv[1])\nwb.remove(wb['Hướng dẫn'])\nwb['Tiêu chí']['B2'] = 'Câu hỏi đã sửa?'\nwb.create_sheet('Ghi chú của Sở')['A1'] = 'nháp'\nwb.save(sys.argv[2])",
      file(`${definition.id}.xlsx`),
      file("edited-py.xlsx"),
    );
    const edited = await readDefinitionFile(file("edited-py.xlsx"));
    const first = edited.pillars[0]?.indicators[0]?.criteria[0];
    expect(first?.question.vi).toBe("Câu hỏi đã sửa?");
    const expected = structuredClone(definition);
    const target = expected.pillars[0]?.indicators[0]?.criteria[0];
    if (target) target.question.vi = "Câu hỏi đã sửa?";
    expect(edited).toEqual(expected);
  });
});

describe("workbooks in the shapes other programs write", () => {
  it("when every text is an inline string instead of a shared one (as some generators write), then the same definition is read", async () => {
    const [definition] = shipped;
    if (!definition) throw new Error("no shipped definition");
    const limits = { fileBytes: 1e8, unpackedBytes: 1e8, entries: 1e4 };
    const entries = readZip(readFileSync(file(`${definition.id}.xlsx`)), limits);
    const strings = [...(entries.get("xl/sharedStrings.xml")?.toString("utf8") ?? "").matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => m[1] ?? "");
    expect(strings.length).toBeGreaterThan(100);
    let replaced = 0;
    for (const [part, content] of entries) {
      if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(part)) continue;
      const xml = content.toString("utf8").replace(/<c ([^>]*?)t="s"([^>]*)><v>(\d+)<\/v><\/c>/g, (_m, before: string, after: string, index: string) => {
        replaced += 1;
        return `<c ${before}t="inlineStr"${after}><is>${strings[Number(index)] ?? ""}</is></c>`;
      });
      entries.set(part, Buffer.from(xml, "utf8"));
    }
    entries.delete("xl/sharedStrings.xml");
    const types = entries.get("[Content_Types].xml")?.toString("utf8") ?? "";
    entries.set("[Content_Types].xml", Buffer.from(types.replace(/<Override[^>]*sharedStrings[^>]*\/>/, ""), "utf8"));
    const rels = entries.get("xl/_rels/workbook.xml.rels")?.toString("utf8") ?? "";
    entries.set("xl/_rels/workbook.xml.rels", Buffer.from(rels.replace(/<Relationship[^>]*sharedStrings[^>]*\/>/, ""), "utf8"));
    writeFileSync(file("inline.xlsx"), writeStoredZip(entries));
    expect(replaced).toBeGreaterThan(100);
    expect(await readDefinitionFile(file("inline.xlsx"))).toEqual(definition);
  });
});

describe("workbooks an accident or an attacker would bring", () => {
  const firstId = () => shipped[0]?.id ?? "";
  const errorOf = async (name: string): Promise<string> => (await readDefinitionFile(file(name)).then(() => "read", (e: unknown) => (e instanceof Error ? e.message : String(e))));
  /** The export of the first shipped definition with one part replaced. */
  const withPart = (name: string, part: string, change: (xml: string) => string) => {
    const entries = readZip(readFileSync(file(`${firstId()}.xlsx`)), { fileBytes: 1e8, unpackedBytes: 1e8, entries: 1e4 });
    const xml = entries.get(part);
    if (!xml) throw new Error(`no ${part}`);
    entries.set(part, Buffer.from(change(xml.toString("utf8")), "utf8"));
    writeFileSync(file(name), writeStoredZip(entries));
  };

  it("when one cell sits in row 1,048,576, then the file is refused at once, naming the sheet and the row", async () => {
    withPart("last-row.xlsx", "xl/worksheets/sheet6.xml", (xml) => xml.replace("</sheetData>", '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'));
    const message = await errorOf("last-row.xlsx");
    expect(message).toMatch(/: the sheet "Tiêu chí" has rows down to row 1048576; at most 5000 rows are read: delete the rows below the table$/);
  });

  it("when an entry unpacks to far more than any workbook, then it is refused without unpacking it, and so is a file that is no zip", async () => {
    const entries = readZip(readFileSync(file(`${firstId()}.xlsx`)), { fileBytes: 1e8, unpackedBytes: 1e8, entries: 1e4 });
    const bomb = deflateRawSync(Buffer.alloc(80 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(200_000);
    // A stored zip cannot hold a deflated entry: write one by hand, declaring a small size that the inflater must not trust.
    const zip = writeStoredZip(new Map([...entries, ["xl/media/big.bin", Buffer.alloc(0)]]));
    writeFileSync(file("bomb.xlsx"), zipWithDeflated(zip, "xl/media/big.bin", bomb));
    expect(await errorOf("bomb.xlsx")).toMatch(/the workbook unpacks to more than 20\.0 MB \(at xl\/media\/big\.bin\)/);
    writeFileSync(file("not-zip.xlsx"), "name,province\n");
    expect(await errorOf("not-zip.xlsx")).toMatch(/not an \.xlsx workbook \(the file is not a zip package/);
  });

  it("when cells hold control characters or lone surrogates (escaped, as XML requires), or a question of five million characters, then each is refused on its cell", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file(`${firstId()}.xlsx`));
    const criteria = workbook.getWorksheet("Tiêu chí");
    if (!criteria) throw new Error("no criteria sheet");
    criteria.getCell("B2").value = "Có kế hoạch_x0000_ không?";
    // XML cannot hold U+0001 or a lone surrogate: spreadsheets write them as _x0001_, _xD800_ (exceljs drops a raw one).
    criteria.getCell("B3").value = "Có_x0001_ lộ trình?";
    criteria.getCell("B4").value = "x".repeat(5_000_000);
    criteria.getCell("B5").value = "Tỷ lệ _xD800_ cán bộ";
    await workbook.xlsx.writeFile(file("control.xlsx"));
    const lines = (await errorOf("control.xlsx")).split("\n");
    expect(lines).toContain(`${file("control.xlsx")}: Tiêu chí!B2: contains the control character U+0000, which cannot be stored; retype the text`);
    expect(lines).toContain(`${file("control.xlsx")}: Tiêu chí!B3: contains the control character U+0001, which cannot be stored; retype the text`);
    expect(lines).toContain(`${file("control.xlsx")}: Tiêu chí!B4: must be at most 4000 characters`);
    expect(lines).toContain(`${file("control.xlsx")}: Tiêu chí!B5: contains the control character U+D800, which cannot be stored; retype the text`);
  });

  it("when a JSON definition's title holds a NUL, then it is refused by path before any database sees it", async () => {
    const definition = structuredClone(shipped[0]);
    if (!definition) throw new Error("no shipped definition");
    definition.title.vi = "Bộ chỉ số\u0000";
    writeFileSync(file("nul.json"), JSON.stringify(definition));
    expect(await errorOf("nul.json")).toBe(`${file("nul.json")}: title.vi: must not contain control characters`);
  });

  it("when every row of a long sheet has a problem, then the problems are counted and only the first fifty listed", async () => {
    withPart("many.xlsx", "xl/worksheets/sheet6.xml", (xml) => {
      const rows = Array.from({ length: 4000 }, (_, i) => `<row r="${i + 100}"><c r="A${i + 100}" t="inlineStr"><is><t>P1.1.${i + 100}</t></is></c></row>`).join("");
      return xml.replace("</sheetData>", `${rows}</sheetData>`);
    });
    const lines = (await errorOf("many.xlsx")).split("\n");
    expect(lines).toHaveLength(51);
    expect(lines[50]).toMatch(/: … and \d{4,} more problem\(s\)$/);
  });
});

/** Replaces the (empty, stored) entry `name` of a zip with deflated data: a bomb whose directory claims 0 bytes. */
function zipWithDeflated(zip: Buffer, name: string, deflated: Buffer): Buffer {
  const entries = readZip(zip, { fileBytes: 1e8, unpackedBytes: 1e8, entries: 1e4 });
  entries.delete(name);
  const rest = writeStoredZip(entries);
  const nameBytes = Buffer.from(name, "utf8");
  const endAt = rest.length - 22;
  const directoryAt = rest.readUInt32LE(endAt + 16);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(directoryAt, 42);
  const end = Buffer.from(rest.subarray(endAt));
  end.writeUInt16LE(entries.size + 1, 8);
  end.writeUInt16LE(entries.size + 1, 10);
  end.writeUInt32LE(rest.readUInt32LE(endAt + 12) + 46 + nameBytes.length, 12);
  end.writeUInt32LE(directoryAt + 30 + nameBytes.length + deflated.length, 16);
  return Buffer.concat([rest.subarray(0, directoryAt), local, nameBytes, deflated, rest.subarray(directoryAt, endAt), central, nameBytes, end]);
}
