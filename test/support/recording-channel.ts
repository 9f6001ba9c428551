import { SEND_ONLY_CAPABILITIES, sendOnly, type ChannelAdapter, type OutboundMessage, type SendError } from "../../src/channels/channel.js";

/** What a recording channel accepted: the chat and the text (or the message kind, for files). */
export interface Recorded {
  readonly chatId: string;
  readonly text: string;
}

/**
 * The deliverer's view of a platform: records what it accepted into `log` (which several senders may share) and fails
 * as `fail` says; `hold`, when given, runs before each send (a slow or hung platform).
 */
export function recordingPlatform(log: Recorded[], fail: (chatId: string, text: string) => SendError | undefined = () => undefined, hold?: () => Promise<void>): ChannelAdapter {
  return {
    channel: "telegram",
    capabilities: { buttons: true, textLimitChars: 4096, ...SEND_ONLY_CAPABILITIES },
    ...sendOnly("telegram"),
    verify: () => true,
    parse: () => [],
    async send(chatId: string, message: OutboundMessage) {
      const text = message.kind === "reply" ? message.reply.text : message.kind;
      if (hold) await hold();
      const failure = fail(chatId, text);
      if (failure) throw failure;
      log.push({ chatId, text });
    },
  };
}
