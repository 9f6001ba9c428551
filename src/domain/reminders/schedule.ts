/**
 * Deadline arithmetic in Vietnam time (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving time), as plain
 * millisecond sums: the result never depends on the server's time zone, and no time-zone database is needed.
 */

const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 60 * MINUTE_MS;

/** When reminders go out and when nothing may be delivered, as minutes after local midnight. */
export interface ReminderPolicy {
  /** The local time of day each reminder is scheduled for (08:30 → 510). */
  readonly sendAtMinute: number;
  /** Quiet hours start (21:00 → 1260); nothing is delivered from then… */
  readonly quietFromMinute: number;
  /** …until this time (07:00 → 420). Equal to quietFromMinute means no quiet hours. */
  readonly quietUntilMinute: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  sendAtMinute: 8 * 60 + 30,
  quietFromMinute: 21 * 60,
  quietUntilMinute: 7 * 60,
};

/** The instant the Vietnam calendar day holding `instant` starts. */
export function vietnamDayStart(instant: Date): Date {
  const local = instant.getTime() + VIETNAM_OFFSET_MS;
  return new Date(Math.floor(local / DAY_MS) * DAY_MS - VIETNAM_OFFSET_MS);
}

/** Minutes since local midnight in Vietnam (0–1439). */
export function vietnamMinuteOfDay(instant: Date): number {
  return Math.floor((instant.getTime() - vietnamDayStart(instant).getTime()) / MINUTE_MS);
}

/** Whole Vietnam calendar days from `from` to `to` (0 = the same day, 1 = `to` is tomorrow). */
export function calendarDaysBetween(from: Date, to: Date): number {
  return Math.round((vietnamDayStart(to).getTime() - vietnamDayStart(from).getTime()) / DAY_MS);
}

/** The moment the reminder `offsetDays` days before `dueAt` is scheduled: that calendar day at the send time. */
export function reminderSlot(dueAt: Date, offsetDays: number, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): Date {
  return new Date(vietnamDayStart(dueAt).getTime() - offsetDays * DAY_MS + policy.sendAtMinute * MINUTE_MS);
}

export function inQuietHours(now: Date, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): boolean {
  const { quietFromMinute: from, quietUntilMinute: until } = policy;
  if (from === until) return false;
  const minute = vietnamMinuteOfDay(now);
  return from > until ? minute >= from || minute < until : minute >= from && minute < until;
}

/** The next end of quiet hours after `now` (07:00 the same morning, or the next morning). */
export function quietHoursEnd(now: Date, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): Date {
  const today = vietnamDayStart(now).getTime() + policy.quietUntilMinute * MINUTE_MS;
  return new Date(today > now.getTime() ? today : today + DAY_MS);
}

/** When one reminder may be sent: from its slot until the next reminder of the same deadline (or the deadline). */
export interface ReminderWindow {
  readonly from: Date;
  readonly until: Date;
}

/**
 * The window in which the reminder `offsetDays` before `dueAt` is due. It opens at its slot (or when the entry window
 * opens, if later: there is nothing to do before) and stays open — so a service that was down at 08:30 catches up
 * later — until the deadline passes or the next reminder of the same deadline takes over, so a long outage never
 * sends two reminders of one deadline at once. Null when the slot is not before the deadline (a deadline at 06:00
 * gets no reminder on its own day) or the window closes before the entry window opens.
 */
export function reminderWindow(
  deadline: { readonly dueAt: Date; readonly offsetsDays: readonly number[] },
  offsetDays: number,
  opensAt: Date,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
): ReminderWindow | null {
  const slot = reminderSlot(deadline.dueAt, offsetDays, policy);
  if (slot >= deadline.dueAt) return null;
  let until = deadline.dueAt.getTime();
  for (const other of deadline.offsetsDays) {
    if (other >= offsetDays) continue;
    const next = reminderSlot(deadline.dueAt, other, policy).getTime();
    if (next > slot.getTime() && next < until) until = next;
  }
  const from = Math.max(slot.getTime(), opensAt.getTime());
  return from < until ? { from: new Date(from), until: new Date(until) } : null;
}

/** Whether `now` falls inside the window (quiet hours aside). */
export function withinWindow(window: ReminderWindow | null, now: Date): boolean {
  return window !== null && window.from <= now && now < window.until;
}
