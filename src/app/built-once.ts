import type { Effect } from "../domain/conversation/effects.js";
import type { OutboundMessage } from "../domain/delivery/outbound-message.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";

/** The replies an earlier attempt at the same update built, and what they were built from. */
export interface BuiltReplies {
  effects?: readonly Effect[];
  locale?: Locale;
  messages?: Promise<OutboundMessage[]>;
}

/**
 * Builds the messages for `effects` once per update: when an attempt is retried (another message of the same person
 * committed first) and the engine asks for the same replies again, the first build is reused — a supervisor's report
 * or a score card takes seconds, and rebuilding it on every retry kept the retries losing the race. The comparison
 * runs only on a retry.
 */
export function buildOnce(memo: BuiltReplies, effects: readonly Effect[], locale: Locale, build: () => Promise<OutboundMessage[]>): Promise<OutboundMessage[]> {
  if (memo.messages !== undefined && memo.locale === locale && JSON.stringify(memo.effects) === JSON.stringify(effects)) return memo.messages;
  memo.effects = effects;
  memo.locale = locale;
  memo.messages = build();
  // A build that failed is not kept: the next attempt tries again.
  memo.messages.catch(() => {
    memo.messages = undefined;
  });
  return memo.messages;
}
