import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPLOAD_LINK_TTL_MS } from "../../src/app/evidence/upload-links.js";
import { pdfOf, startUploadWorld, type UploadWorld } from "./upload-fixture.js";

/**
 * The upload page over real HTTP (the browser test drives the same page in Chromium): links bound to a person and
 * agency, uploads confirmed in the chat through the outbox, and every way to reach another agency's files refused.
 */

let world: UploadWorld;

beforeAll(async () => {
  world = await startUploadWorld();
});

afterAll(async () => {
  await world?.close();
});

async function upload(link: string, criterionId: string, file: Buffer, name: string): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([file], { type: "application/pdf" }), name);
  return fetch(`${link}/${criterionId}`, { method: "POST", body: form });
}

const confirmations = (chat: number): string[] =>
  world.fake.sent("sendMessage").filter((c) => c.body.chat_id === chat).map((c) => String(c.body.text)).filter((text) => text.includes("Đã nhận tệp"));

describe("the upload page", () => {
  it("when a lead uploads a 5 MB PDF for P1.1.1, then it is stored with its checksum, listed on the page and confirmed in the chat", async () => {
    const link = await world.linkFor(world.lan);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    const html = await page.text();
    expect(html).toContain("P1.1.1");
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);

    const started = performance.now();
    const res = await upload(link, "P1.1.1", pdfOf(5 * 1024 * 1024), "Quyết định CĐS.pdf");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Quyết định CĐS.pdf");
    const deadline = Date.now() + 5000;
    while (confirmations(world.lan).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const ms = performance.now() - started;
    expect(confirmations(world.lan)).toEqual([expect.stringContaining("cho P1.1.1")]);
    console.log(`5 MB PDF: upload to chat confirmation in ${Math.round(ms)} ms`);
    const rows = await world.db.evidence.findMany({ where: { criterionId: "P1.1.1", channel: "web" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "document", fileName: "Quyết định CĐS.pdf", sizeBytes: 5 * 1024 * 1024, contentType: "application/pdf" });
    expect(rows[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("when a file is 30 MB, then it is refused before it is stored and nothing is left behind", async () => {
    const link = await world.linkFor(world.lan);
    const before = world.evidenceFiles();
    const res = await upload(link, "P1.1.1", pdfOf(30 * 1024 * 1024), "big.pdf");
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("20 MB");
    expect(world.evidenceFiles()).toEqual(before);
  });

  it("when a file is not an accepted type, then it is refused and removed", async () => {
    const link = await world.linkFor(world.lan);
    const before = world.evidenceFiles();
    const res = await upload(link, "P1.1.1", Buffer.from("<html><script>alert(1)</script></html>"), "trang.pdf");
    expect(res.status).toBe(415);
    expect(world.evidenceFiles()).toEqual(before);
  });

  it("when a link is forged, reused after it expired, or points at another agency's criterion path, then it is refused", async () => {
    const link = await world.linkFor(world.lan);
    const forged = link.replace(/\/u\/[A-Za-z0-9_-]+$/, `/u/${"A".repeat(43)}`);
    expect((await fetch(forged)).status).toBe(404);
    expect((await upload(forged, "P1.1.1", pdfOf(1000), "x.pdf")).status).toBe(404);
    // Path tricks: the criterion must be one of the page's; a name with ../ is only ever a display name.
    expect((await upload(link, "..%2F..%2Fetc", pdfOf(1000), "x.pdf")).status).toBe(404);
    const tricky = await upload(link, "P1.1.2", pdfOf(1000), "../../../etc/passwd.pdf");
    expect(tricky.status).toBe(200);
    const row = await world.db.evidence.findFirst({ where: { criterionId: "P1.1.2", channel: "web" } });
    expect(row?.fileName).toBe("passwd.pdf");
    expect(row?.ref).toMatch(/^file:evidence\/[0-9a-f]{32}\.pdf$/);

    world.advance(UPLOAD_LINK_TTL_MS + 1000);
    expect((await fetch(link)).status).toBe(404);
    expect((await upload(link, "P1.1.1", pdfOf(1000), "late.pdf")).status).toBe(404);
  });

  it("when a lead of another agency opens their own link, then they see only their agency's files and cannot reach the first's", async () => {
    const theirs = await world.linkFor(world.hung);
    const html = await (await fetch(theirs)).text();
    expect(html).toContain("Tạp chí Bên Cạnh");
    expect(html).not.toContain("Quyết định CĐS.pdf");
    expect(html).not.toContain("passwd.pdf");
    await upload(theirs, "P1.1.1", pdfOf(2000), "cua-ben-canh.pdf");
    const assessments = await world.db.assessment.findMany({ where: { evidence: { some: { fileName: "cua-ben-canh.pdf" } } } });
    expect(assessments.map((a) => a.agencyId)).toEqual([world.otherAgencyId]);
  });

  it("when the assessment is submitted, then the page and uploads are refused, as answers are", async () => {
    const link = await world.linkFor(world.hung);
    await world.db.assessment.updateMany({ where: { agencyId: world.otherAgencyId }, data: { status: "submitted", submittedAt: new Date() } });
    expect((await fetch(link)).status).toBe(403);
    expect((await upload(link, "P1.1.1", pdfOf(1000), "after.pdf")).status).toBe(403);
    expect(await world.db.evidence.count({ where: { fileName: "after.pdf" } })).toBe(0);
  });

  it("when the person's role ends, then their link stops working", async () => {
    const link = await world.linkFor(world.lan);
    expect((await fetch(link)).status).toBe(200);
    await world.db.roleGrant.updateMany({ where: { agencyId: world.agencyId }, data: { revokedAt: new Date() } });
    expect((await fetch(link)).status).toBe(404);
    await world.db.roleGrant.updateMany({ where: { agencyId: world.agencyId }, data: { revokedAt: null } });
  });
});
