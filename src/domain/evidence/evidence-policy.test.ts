import { describe, expect, it } from "vitest";
import {
  EVIDENCE_MAX_BYTES_PER_AGENCY,
  EVIDENCE_MAX_FILE_BYTES,
  EVIDENCE_MAX_FILES_PER_CRITERION,
  evidenceTypeOf,
  familyOf,
  limitRefusal,
  limitVars,
} from "./evidence-policy.js";

const bytes = (...values: (number | string)[]): Uint8Array =>
  Uint8Array.from(values.flatMap((v) => (typeof v === "string" ? [...v].map((c) => c.charCodeAt(0)) : [v])));

const PDF = bytes("%PDF-1.7\n");
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, "JFIF");
const PNG = bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a);
const HEIC = bytes(0, 0, 0, 0x18, "ftypheic", 0, 0, 0, 0);
const ZIP = bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0);
const OLE = bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);
const HTML = bytes("<!DOCTYPE html><script>");
const EXE = bytes("MZ", 0x90, 0);

describe("evidence types, by their first bytes", () => {
  it.each([
    ["PDF", PDF, "pdf"],
    ["JPEG", JPEG, "jpeg"],
    ["PNG", PNG, "png"],
    ["HEIC", HEIC, "heic"],
    ["an Office Open XML or OpenDocument file", ZIP, "zip"],
    ["an old Office file", OLE, "ole"],
    ["an HTML page", HTML, null],
    ["a Windows program", EXE, null],
    ["nothing", new Uint8Array(0), null],
  ] as const)("when the bytes are %s, then the family is %s", (_what, head, family) => {
    expect(familyOf(head)).toBe(family);
  });

  it.each([
    ["Quyết định.pdf", PDF, "pdf", "application/pdf"],
    ["ANH.JPEG", JPEG, "jpg", "image/jpeg"],
    ["so-lieu.xlsx", ZIP, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    ["ke-hoach.docx", ZIP, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ["bao-cao.odt", ZIP, "odt", "application/vnd.oasis.opendocument.text"],
    ["cu.doc", OLE, "doc", "application/msword"],
    ["IMG_0001.HEIC", HEIC, "heic", "image/heic"],
  ] as const)("when %s starts as its extension says, then it is kept as .%s (%s)", (name, head, extension, contentType) => {
    expect(evidenceTypeOf(head, name)).toMatchObject({ extension, contentType });
  });

  it.each([
    ["a page renamed .pdf", HTML, "trang.pdf"],
    ["a program renamed .docx", EXE, "tai-lieu.docx"],
    ["a PNG named .jpg", PNG, "anh.jpg"],
    ["a PDF named .docx", PDF, "ke-hoach.docx"],
    ["a ZIP archive named .zip (not an accepted type)", ZIP, "tat-ca.zip"],
  ] as const)("when the bytes and the name disagree (%s), then it is refused", (_what, head, name) => {
    expect(evidenceTypeOf(head, name)).toBeNull();
  });

  it("when a file has no name, then the bytes decide when they name one type, and an Office file without a name is refused", () => {
    expect(evidenceTypeOf(JPEG, undefined)?.extension).toBe("jpg");
    expect(evidenceTypeOf(PDF, "")?.extension).toBe("pdf");
    expect(evidenceTypeOf(PNG, "anh-khong-duoi")?.extension).toBe("png");
    // Word, Excel, PowerPoint and OpenDocument all start as a ZIP: which one it is cannot be told without a name.
    expect(evidenceTypeOf(ZIP, undefined)).toBeNull();
    expect(evidenceTypeOf(OLE, undefined)).toBeNull();
  });
});

describe("evidence limits", () => {
  const empty = { filesOnCriterion: 0, bytesOnAgency: 0 };

  it("when a file is exactly 20 MB, then it fits; one byte more is too large, whatever else is on file", () => {
    expect(limitRefusal(empty, EVIDENCE_MAX_FILE_BYTES)).toBeNull();
    expect(limitRefusal(empty, EVIDENCE_MAX_FILE_BYTES + 1)).toBe("too-large");
    expect(limitRefusal({ filesOnCriterion: EVIDENCE_MAX_FILES_PER_CRITERION, bytesOnAgency: EVIDENCE_MAX_BYTES_PER_AGENCY }, EVIDENCE_MAX_FILE_BYTES + 1)).toBe("too-large");
  });

  it("when a criterion holds 9 files, then a 10th fits; with 10, the next is refused", () => {
    expect(limitRefusal({ filesOnCriterion: EVIDENCE_MAX_FILES_PER_CRITERION - 1, bytesOnAgency: 0 }, 1000)).toBeNull();
    expect(limitRefusal({ filesOnCriterion: EVIDENCE_MAX_FILES_PER_CRITERION, bytesOnAgency: 0 }, 1000)).toBe("criterion-full");
  });

  it("when the agency's files would pass 500 MB, then the file is refused; reaching 500 MB exactly is allowed", () => {
    const almost = { filesOnCriterion: 0, bytesOnAgency: EVIDENCE_MAX_BYTES_PER_AGENCY - 1000 };
    expect(limitRefusal(almost, 1000)).toBeNull();
    expect(limitRefusal(almost, 1001)).toBe("agency-full");
    // Before the size is known (0), an agency already at its limit is not refused: the size check follows the download.
    expect(limitRefusal({ filesOnCriterion: 0, bytesOnAgency: EVIDENCE_MAX_BYTES_PER_AGENCY }, 0)).toBeNull();
  });

  it("when the limits are named to people, then they are given in MB with the accepted types", () => {
    expect(limitVars()).toEqual({ maxFileMb: 20, maxFiles: 10, maxAgencyMb: 500, types: "PDF, Word, Excel, PowerPoint, OpenDocument, JPEG, PNG, HEIC" });
  });
});
