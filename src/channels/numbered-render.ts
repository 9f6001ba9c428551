import type { RenderedReply } from "../i18n/translator.js";
import { DONE_VALUE } from "../domain/conversation/question-reply.js";

/**
 * Choices as numbered lines, for channels without buttons (Zalo, the terminal): people reply with the number.
 * Ticked options of a several-choice question carry a check mark. The "Xong" (done) choice is left out: without
 * buttons nothing is ticked, and a typed list is saved at once (its number is still accepted inside a list).
 */
export function renderNumbered(reply: RenderedReply): string {
  const listed = reply.listed === false ? [] : reply.choices.filter((choice) => choice.value !== DONE_VALUE);
  if (listed.length === 0) return reply.text;
  const lines = listed.map((choice, i) => `${i + 1}. ${choice.selected ? "✓ " : ""}${choice.label}`);
  return `${reply.text}\n\n${lines.join("\n")}`;
}
