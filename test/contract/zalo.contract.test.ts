import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { createZaloAdapter, ZALO_SECRET_HEADER } from "../../src/channels/zalo/zalo-adapter.js";
import { createZaloClient } from "../../src/channels/zalo/zalo-client.js";
import { startFakeZalo, TINY_JPEG } from "../support/fake-zalo.js";
import { describeAdapterContract, type Expected } from "./adapter-contract.js";
import { recordedPayloads } from "./recorded-payloads.js";

const TOKEN = "1234567890:contract-zalo";
const SECRET = "contract-secret-zalo";
const CHAT = "6ede9afa66b88fe6d6a9";

const ted = { externalUserId: "6ede9afa66b88fe6d6a9", displayName: "Ted", sentAt: new Date(1750316131602) } as const;
const keyOf = (event: string, chat = CHAT): string => `${event}:${chat}:6ede9afa66b88fe6d6a9:2d758cb5e222177a4e35`;
const ignored: Expected = { kind: "ignored" };

/** What each recorded Zalo payload is (test/fixtures/payloads/zalo/, origins beside them). */
const expected: Record<string, Expected> = {
  "bot-docs-image": {
    kind: "event", ...ted, chatId: CHAT, chatType: "private", eventKey: keyOf("message.image.received"),
    input: { kind: "attachment", attachment: { kind: "photo", ref: "https://photo-stal-2.zdn.vn/placeholder/jpg/ke-hoach-cds.jpg", caption: "Kế hoạch chuyển đổi số" } },
  },
  "bot-docs-sticker": { kind: "event", ...ted, chatId: CHAT, chatType: "private", eventKey: keyOf("message.sticker.received"), input: { kind: "unsupported" } },
  "bot-docs-text": { kind: "event", ...ted, chatId: CHAT, chatType: "private", eventKey: keyOf("message.text.received"), input: { kind: "text", text: "Xin chào" } },
  "bot-docs-text-group": { kind: "event", ...ted, chatId: "9f1c2b3a4d5e6f708192", chatType: "group", eventKey: keyOf("message.text.received", "9f1c2b3a4d5e6f708192"), input: { kind: "text", text: "Xin chào" } },
  "bot-docs-unsupported": { kind: "event", ...ted, chatId: CHAT, chatType: "private", input: { kind: "unsupported" } },
  // Official Account webhooks are another API: acknowledged and ignored, never answered.
  "oa-follow": ignored,
  "oa-unfollow": ignored,
  "oa-user-send-file": ignored,
  "oa-user-send-image": ignored,
  "oa-user-send-sticker": ignored,
  "oa-user-send-text": ignored,
};

describeAdapterContract({
  name: "Zalo",
  payloads: recordedPayloads("zalo"),
  expected,
  async start() {
    const fake = await startFakeZalo({ token: TOKEN, pollWaitMs: 20 });
    const evidenceDir = mkdtempSync(path.join(tmpdir(), "pdx-contract-zalo-"));
    const base = {
      token: TOKEN,
      apiBase: fake.url,
      evidenceDir,
      refRoot: evidenceDir,
      client: createZaloClient({ token: TOKEN, apiBase: fake.url, sleep: async () => undefined }),
      // The fake platform serves its images on loopback, which downloads refuse by default.
      download: { allowPrivateNetwork: true },
      sleep: async () => undefined,
    };
    const photo = fake.serveFile("bien-ban.jpg", TINY_JPEG, "image/jpeg");
    return {
      adapter: createZaloAdapter({ ...base, webhookSecret: SECRET }),
      unsecured: createZaloAdapter({ ...base, webhookSecret: undefined }),
      secretHeader: ZALO_SECRET_HEADER,
      secret: SECRET,
      foreignHeader: TELEGRAM_SECRET_HEADER,
      chatId: CHAT,
      sentTexts: () => fake.sentTexts(CHAT),
      clearSent: () => {
        fake.calls.length = 0;
      },
      attachmentRef: () => photo,
      async close() {
        await fake.close();
        rmSync(evidenceDir, { recursive: true, force: true });
      },
    };
  },
});
