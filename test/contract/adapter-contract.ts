import type { IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MissingCapabilityError, type ChannelAdapter, type ParsedEvent, type ParsedUpdate } from "../../src/channels/channel.js";
import { damagedVariants, JUNK, reordered } from "./payload-variants.js";
import type { RecordedPayload } from "./recorded-payloads.js";

/** What a recorded payload must parse to: one update matching this (see `expectParsedAs`). */
export type Expected =
  | { readonly kind: "ignored" }
  | { readonly kind: "reachability"; readonly externalUserId: string; readonly reachable: boolean }
  | (Partial<Omit<ParsedEvent, "input">> & { readonly kind: "event"; readonly chatType: "private" | "group"; readonly input: Partial<ParsedEvent["input"]> & Pick<ParsedEvent["input"], "kind"> });

/** One adapter against its fake platform on 127.0.0.1. */
export interface ContractHarness {
  /** Configured with `secret` for webhooks. */
  readonly adapter: ChannelAdapter;
  /** The same adapter with no webhook secret configured (polling mode). */
  readonly unsecured: ChannelAdapter;
  readonly secretHeader: string;
  readonly secret: string;
  /** The header another platform would send (a request meant for another webhook). */
  readonly foreignHeader: string;
  /** A chat the fake platform accepts messages for. */
  readonly chatId: string;
  /** The texts the fake platform received for `chatId`, in order (message texts and captions). */
  sentTexts(): string[];
  /** Forgets what was sent. */
  clearSent(): void;
  /** A reference the adapter can fetch when it fetches attachments (a file the fake platform serves). */
  attachmentRef(): string;
  close(): Promise<void>;
}

export interface AdapterContract {
  readonly name: string;
  readonly start: () => Promise<ContractHarness>;
  readonly payloads: readonly RecordedPayload[];
  readonly expected: Readonly<Record<string, Expected>>;
}

/**
 * The ChannelAdapter contract, run by every adapter over its recorded real payloads: parse is total and says what each
 * payload is, event keys are unique and survive a redelivery, verify takes the right secret only, capabilities say
 * what the methods do, and a long text goes out in pieces within the platform's limit.
 */
export function describeAdapterContract(contract: AdapterContract): void {
  describe(`${contract.name} adapter contract`, () => {
    let h: ContractHarness;
    beforeAll(async () => {
      h = await contract.start();
    });
    afterAll(async () => {
      await h.close();
    });

    describe("parse", () => {
      it("when the payload set and the expectations are compared, then every payload is asserted and every assertion has its payload", () => {
        expect(contract.payloads.map((p) => p.name)).toEqual(Object.keys(contract.expected).sort());
        for (const payload of contract.payloads) expect(payload.origin, payload.name).toMatch(/Origin: \S/);
      });

      it.each(contract.payloads.map((p) => [p.name, p] as const))("when %s arrives, then it parses to what it is", (name, payload) => {
        expectParsedAs(h.adapter.parse(payload.body), contract.expected[name]);
      });

      it.each(contract.payloads.map((p) => [p.name, p] as const))("when %s arrives damaged one field at a time, then parse never throws", (_name, payload) => {
        const variants = damagedVariants(payload.body);
        expect(variants.length).toBeGreaterThan(0);
        for (const variant of variants) expectWellFormed(h.adapter.parse(variant));
      });

      it("when junk arrives, then parse gives nothing or ignores it", () => {
        for (const body of JUNK) {
          const updates = h.adapter.parse(body);
          expectWellFormed(updates);
          expect(updates.filter((u) => u.kind !== "ignored"), JSON.stringify(body)?.slice(0, 80)).toEqual([]);
        }
      });

      it("when a payload is redelivered (even serialised with its keys in another order), then its event key is the same", () => {
        for (const payload of contract.payloads) {
          const first = h.adapter.parse(payload.body);
          expect(h.adapter.parse(structuredClone(payload.body)), payload.name).toEqual(first);
          expect(keysOf(h.adapter.parse(reordered(payload.body))), payload.name).toEqual(keysOf(first));
        }
      });

      it("when every recorded payload is parsed, then no two deliveries share an event key", () => {
        const keys = contract.payloads.flatMap((p) => keysOf(h.adapter.parse(p.body)));
        expect(keys.length).toBeGreaterThan(3);
        expect(new Set(keys).size).toBe(keys.length);
      });
    });

    describe("verify", () => {
      const headers = (value: IncomingHttpHeaders[string]): IncomingHttpHeaders => ({ [h.secretHeader]: value });
      it("when the request carries the configured secret, then it is accepted", () => {
        expect(h.adapter.verify(headers(h.secret))).toBe(true);
      });
      it.each<[string, (secret: string) => IncomingHttpHeaders[string]]>([
        ["a wrong secret of the same length", (s) => `${s.slice(0, -1)}${s.endsWith("x") ? "y" : "x"}`],
        ["a prefix of it", (s) => s.slice(0, -1)],
        ["it with more after it", (s) => `${s}x`],
        ["it in other case", (s) => s.toUpperCase()],
        ["an empty header", () => ""],
        ["no header", () => undefined],
        ["the header twice", (s) => [s, s]],
      ])("when the request carries %s, then it is refused", (_case, given) => {
        expect(h.adapter.verify(headers(given(h.secret)))).toBe(false);
      });
      it("when the secret comes in another platform's header, then it is refused", () => {
        expect(h.adapter.verify({ [h.foreignHeader]: h.secret })).toBe(false);
      });
      it("when no secret is configured, then every request is refused, even one with an empty header", () => {
        expect(h.unsecured.verify(headers(h.secret))).toBe(false);
        expect(h.unsecured.verify(headers(""))).toBe(false);
        expect(h.unsecured.verify({})).toBe(false);
      });
    });

    describe("capabilities", () => {
      it("when a tap's answer is asked for, then it works exactly when tapAnswers says so, and only such adapters parse taps", async () => {
        const taps = contract.payloads.flatMap((p) => h.adapter.parse(p.body)).filter((u) => u.kind === "event" && u.callbackQueryId !== undefined);
        if (h.adapter.capabilities.tapAnswers) {
          expect(taps.length).toBeGreaterThan(0);
          await expect(h.adapter.answerCallback({ id: "4382bfdwdsb323b2d9" })).resolves.toBeUndefined();
        } else {
          expect(taps).toEqual([]);
          await expectMissing(() => h.adapter.answerCallback({ id: "1" }), "tapAnswers");
        }
      });

      it("when a tap is answered in the webhook reply, then it is an API call exactly when tapAnswerInWebhookReply says so", async () => {
        if (h.adapter.capabilities.tapAnswerInWebhookReply) expect(h.adapter.callbackWebhookReply({ id: "9" })).toMatchObject({ method: expect.any(String) as unknown });
        else await expectMissing(() => h.adapter.callbackWebhookReply({ id: "9" }), "tapAnswerInWebhookReply");
      });

      it("when polling is started, then it runs and stops exactly when polling says so", async () => {
        if (!h.adapter.capabilities.polling) return expectMissing(() => h.adapter.startPolling(async () => undefined), "polling");
        const poller = h.adapter.startPolling(async () => undefined);
        await expect(poller.stop()).resolves.toBeUndefined();
      });

      it("when an attachment is resolved, then it is fetched exactly when fetchesAttachments says so", async () => {
        if (!h.adapter.capabilities.fetchesAttachments) return expectMissing(() => h.adapter.resolveAttachment(h.attachmentRef()), "fetchesAttachments");
        const resolved = await h.adapter.resolveAttachment(h.attachmentRef(), "bien-ban.jpg");
        expect(resolved.ref).toMatch(/^file:/);
        expect(resolved.file?.sizeBytes).toBeGreaterThan(0);
      });

      it("when a question with choices is sent, then the choices are buttons or numbered lines as buttons says", async () => {
        h.clearSent();
        const choices = [
          { value: "yes", label: "Có", selected: false },
          { value: "no", label: "Không", selected: false },
        ];
        await h.adapter.send(h.chatId, { kind: "reply", reply: { text: "Toà soạn đã có chiến lược chuyển đổi số?", choices, questionId: "P1.1.1" } });
        const sent = h.sentTexts().join("\n");
        expect(sent).toContain("Toà soạn đã có chiến lược chuyển đổi số?");
        if (h.adapter.capabilities.buttons) expect(sent).not.toMatch(/^1\. Có$/m);
        else expect(sent).toMatch(/^1\. Có\n2\. Không$/m);
      });
    });

    describe("send", () => {
      it("when a text is several times the platform's limit, then it goes out in pieces within the limit, nothing lost", async () => {
        h.clearSent();
        const limit = h.adapter.capabilities.textLimitChars;
        expect(Number.isInteger(limit) && limit > 0).toBe(true);
        const paragraph = "Tiêu chí P1.1.1: Toà soạn có chiến lược chuyển đổi số được phê duyệt 👍 và phổ biến tới phóng viên, biên tập viên.";
        const text = Array.from({ length: Math.ceil((limit * 2.5) / paragraph.length) }, (_, i) => `${i + 1}. ${paragraph}`).join("\n\n");
        await h.adapter.send(h.chatId, { kind: "reply", reply: { text, choices: [], questionId: undefined } });
        const pieces = h.sentTexts();
        expect(pieces.length).toBeGreaterThanOrEqual(3);
        for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(limit);
        expect(pieces.join("\n\n")).toBe(text);
      });
    });
  });
}

/** One update, matching the expectation; a text or file is forwarded only when the expectation says so. */
export function expectParsedAs(updates: ParsedUpdate[], expected: Expected | undefined): void {
  expect(expected, "an expectation for this payload").toBeDefined();
  expect(updates).toHaveLength(1);
  const [update] = updates;
  expect(update).toMatchObject(expected as object);
  if (update?.kind === "event" && expected?.kind === "event" && (update.input.kind === "text" || update.input.kind === "attachment")) {
    const forwarded = (expected.input as { forwarded?: true }).forwarded;
    expect(update.input.forwarded).toBe(forwarded);
  }
}

function expectWellFormed(updates: ParsedUpdate[]): void {
  expect(Array.isArray(updates)).toBe(true);
  for (const update of updates) {
    expect(["event", "reachability", "ignored"]).toContain(update.kind);
    if (update.kind !== "event") continue;
    for (const field of [update.eventKey, update.chatId, update.externalUserId]) expect(field).toMatch(/\S/);
  }
}

function keysOf(updates: ParsedUpdate[]): string[] {
  return updates.flatMap((u) => (u.kind === "event" ? [u.eventKey] : []));
}

async function expectMissing(call: () => unknown, capability: string): Promise<void> {
  const error = await (async () => call())().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MissingCapabilityError);
  expect((error as MissingCapabilityError).capability).toBe(capability);
}
