import type { RenderedReply } from "../i18n/translator.js";

/**
 * Choices as numbered lines, for channels without buttons (Zalo, the terminal): people reply with the number.
 * Ticked options of a several-choice question carry a check mark.
 */
export function renderNumbered(reply: RenderedReply): string {
  if (reply.choices.length === 0) return reply.text;
  const lines = reply.choices.map((choice, i) => `${i + 1}. ${choice.selected ? "✓ " : ""}${choice.label}`);
  return `${reply.text}\n\n${lines.join("\n")}`;
}
