/** Uploads per link within UPLOAD_RATE_WINDOW_MS: a person adding files one by one never meets it; a script does. */
export const UPLOAD_RATE_MAX = 20;
export const UPLOAD_RATE_WINDOW_MS = 5 * 60_000;
/** Links remembered at most: past it the memory starts afresh (a flood of links is refused by the link check first). */
const MAX_KEYS = 10_000;

/** A sliding window of accepted uploads per key (the link). In memory: one process serves the page. */
export interface UploadRate {
  /** True when one more upload is allowed at `now` (ms), and then counts it; a refused attempt is not counted. */
  allow(key: string, now: number): boolean;
}

export function createUploadRate(options: { readonly max?: number; readonly windowMs?: number } = {}): UploadRate {
  const max = options.max ?? UPLOAD_RATE_MAX;
  const windowMs = options.windowMs ?? UPLOAD_RATE_WINDOW_MS;
  const recent = new Map<string, number[]>();
  return {
    allow(key, now) {
      const times = (recent.get(key) ?? []).filter((at) => now - at < windowMs);
      if (times.length >= max) {
        recent.set(key, times);
        return false;
      }
      recent.set(key, [...times, now]);
      if (recent.size > MAX_KEYS) recent.clear();
      return true;
    },
  };
}
