/** The messaging platforms people reach the assistant through; "console" is the terminal chat. */
export const CHANNELS = ["telegram", "zalo", "console"] as const;
export type Channel = (typeof CHANNELS)[number];
