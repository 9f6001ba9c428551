import { expect } from "vitest";
import { TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { typingClock } from "../app/conversation-fixture.js";
import { buttonsOf, startFakeTelegram, type RecordedCall } from "../support/fake-telegram.js";
import { startFakeZalo } from "../support/fake-zalo.js";
import { startService, type RunningService } from "../support/service-harness.js";

/** The people of the team scenario; each driver gives them ids of its platform. */
export const PEOPLE = ["lead", "member1", "member2", "supervisor", "neighbour", "stranger"] as const;
export type Who = (typeof PEOPLE)[number];

export const DISPLAY_NAMES: Readonly<Record<Who, string>> = {
  lead: "Nguyễn Thị Lan",
  member1: "Trần Văn Minh",
  member2: "Lê Thu Hà",
  supervisor: "Phạm Quốc Bảo",
  neighbour: "Đỗ Văn Láng",
  stranger: "Vũ Khách",
};

export const BOT_USERNAME = "TroLyCDSTestBot";

/**
 * One chat platform in front of the real service: what a person types, and how they pick a choice — a button tap on
 * Telegram, the number of a line on Zalo. Each call returns the texts the bot sent that person because of it.
 */
export interface ChannelDriver {
  readonly channel: "telegram" | "zalo";
  readonly running: RunningService;
  say(who: Who, text: string): Promise<string>;
  choose(who: Who, label: string): Promise<string>;
  /** The slash command on Telegram, the word on Zalo (where people do not type slashes). */
  command(slash: string, word: string): string;
  close(): Promise<void>;
}

export async function telegramDriver(): Promise<ChannelDriver> {
  const TOKEN = "123:TEAM";
  const SECRET = "team-secret-value";
  const fake = await startFakeTelegram();
  const running = await startService(
    { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url, TELEGRAM_BOT_USERNAME: BOT_USERNAME },
    { clock: typingClock() },
  );
  const ids = new Map(PEOPLE.map((who, i) => [who, 7_100_000_000 + i]));
  let updateId = 500_000;
  const person = (who: Who) => {
    const id = ids.get(who) ?? 0;
    const name = DISPLAY_NAMES[who];
    return { from: { id, is_bot: false, first_name: name, language_code: "vi" }, chat: { id, type: "private", first_name: name } };
  };
  const sentTo = (who: Who): RecordedCall[] => fake.sent("sendMessage").filter((c) => c.body.chat_id === ids.get(who));
  const deliver = async (who: Who, update: unknown): Promise<string> => {
    const before = sentTo(who).length;
    const res = await fetch(`${running.url}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", [TELEGRAM_SECRET_HEADER]: SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    await fake.webhookReply(TOKEN, await res.json());
    await running.service.deliverer.deliverDue();
    return sentTo(who).slice(before).map((c) => String(c.body.text)).join("\n\n");
  };
  return {
    channel: "telegram",
    running,
    command: (slash) => slash,
    say: (who, text) => {
      const { from, chat } = person(who);
      updateId += 1;
      return deliver(who, { update_id: updateId, message: { message_id: updateId, date: 1730775600 + (updateId - 500_000) * 3, from, chat, text } });
    },
    choose: (who, label) => {
      const shown = [...sentTo(who)].reverse().find((c) => buttonsOf(c).length > 0);
      const button = shown === undefined ? undefined : buttonsOf(shown).find((b) => b.text === label);
      if (shown === undefined || button === undefined) throw new Error(`no button “${label}” was shown to ${who}`);
      const { from, chat } = person(who);
      updateId += 1;
      const messageId = (shown.result as { message_id: number }).message_id;
      return deliver(who, {
        update_id: updateId,
        callback_query: { id: `cq-${updateId}`, from, chat_instance: "1", message: { message_id: messageId, date: 1730775600, chat, text: shown.body.text }, data: button.callback_data },
      });
    },
    async close() {
      await running.close();
      await fake.close();
    },
  };
}


export async function zaloDriver(): Promise<ChannelDriver> {
  const TOKEN = "zalo-team-token";
  const SECRET = "zalo-team-secret";
  const fake = await startFakeZalo({ token: TOKEN });
  const running = await startService({ ZALO_BOT_TOKEN: TOKEN, ZALO_WEBHOOK_SECRET: SECRET, ZALO_API_BASE: fake.url }, { clock: typingClock() });
  let counter = 0;
  const userId = (who: Who) => `zl-team-${who}`;
  const say = async (who: Who, text: string): Promise<string> => {
    counter += 1;
    const before = fake.sentTexts(userId(who)).length;
    const res = await fetch(`${running.url}/webhooks/zalo`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-bot-api-secret-token": SECRET },
      body: JSON.stringify({
        event_name: "message.text.received",
        message: {
          from: { id: userId(who), display_name: DISPLAY_NAMES[who], is_bot: false },
          chat: { id: userId(who), chat_type: "PRIVATE" },
          message_id: `team${counter.toString().padStart(6, "0")}`,
          date: 1730775600000 + counter * 3000,
          text,
        },
      }),
    });
    expect(res.status).toBe(200);
    await running.service.deliverer.deliverDue();
    return fake.sentTexts(userId(who)).slice(before).join("\n\n");
  };
  return {
    channel: "zalo",
    running,
    command: (_slash, word) => word,
    say,
    choose: (who, label) => {
      const shown = [...fake.sentTexts(userId(who))].reverse().find((text) => text.includes(`. ${label}`)) ?? "";
      const line = new RegExp(`^(\\d+)\\. ${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m").exec(shown);
      if (line?.[1] === undefined) throw new Error(`no numbered line “${label}” was shown to ${who}`);
      return say(who, line[1]);
    },
    async close() {
      await running.close();
      await fake.close();
    },
  };
}
