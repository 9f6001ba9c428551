import type { Api } from "grammy";

/** The AbortSignal type grammY's methods declare: on Node it is the `abort-controller` polyfill's. */
export type GrammySignal = NonNullable<Parameters<Api["getMe"]>[0]>;

/**
 * A native AbortSignal as grammY's declared type. The polyfill's type is stricter than the standard one, but at run
 * time grammY only reads `aborted` and calls add/removeEventListener (core/client.js, validateSignal), which the
 * native signal provides; the cast is confined here.
 */
export function grammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}
