/**
 * The fuzz test's script: who sends what, drawn from a seeded generator so that a failing run can be replayed with
 * FUZZ_SEED. What a tap on an old button carries depends on what the bot had sent by then, so a replay is the same
 * script, not necessarily the same interleaving.
 */

/** mulberry32: small, fast and good enough to draw a script. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Role = "supervisor" | "lead" | "member";

export interface Actor {
  readonly name: string;
  readonly role: Role;
  /** Telegram user and private chat id. */
  readonly id: number;
  /** Index of the agency in the province (leads and members). */
  readonly agency?: number;
}

/** What one update does; `tap` picks a button the bot showed this person earlier (`pick` in [0, 1)). */
export type Move =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "tap"; readonly pick: number }
  | { readonly kind: "sticker" };

/** One update of the script; `copyOf` makes it a redelivery of an earlier update (same update_id, same body). */
export type Planned =
  | { readonly kind: "event"; readonly updateId: number; readonly actor: Actor; readonly move: Move }
  | { readonly kind: "redelivery"; readonly copyOf: number }
  | { readonly kind: "garbage"; readonly updateId: number; readonly body: Record<string, unknown> };

/** Updates posted at the same moment (one person typing several messages at once, or a redelivery on top). */
export type Job = readonly Planned[];

const SUPERVISOR_TEXTS = ["tổng quan", "/overview", "báo cáo", "nhắc", "điểm", "trợ giúp", "tiến độ", "/export"];
const MEMBER_TEXTS = ["1", "2", "3", "có", "không", "75", "40", "tiếp tục", "/continue", "quay lại", "bỏ qua", "tiến độ", "xem lại"];
const GARBAGE_TEXTS = ["asdf qwer", "🙂🙂🙂", "????", "x".repeat(5000), "  ", "/nosuchcommand", "câu 999", "<b>html</b> & \"quotes\""];

const pickOf = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

function supervisorMove(random: () => number, agencies: number): Move {
  const r = random();
  if (r < 0.15) return { kind: "text", text: `hồ sơ ${1 + Math.floor(random() * agencies)}` };
  if (r < 0.3) return { kind: "text", text: `tổng quan ${1 + Math.floor(random() * agencies)}` };
  if (r < 0.35) return { kind: "tap", pick: random() };
  return { kind: "text", text: pickOf(random, SUPERVISOR_TEXTS) };
}

function memberMove(random: () => number, role: Role): Move {
  const r = random();
  if (r < 0.3) return { kind: "tap", pick: random() };
  if (r < 0.35) return { kind: "sticker" };
  if (r < 0.42) return { kind: "text", text: pickOf(random, GARBAGE_TEXTS) };
  if (r < 0.47) return { kind: "text", text: "điểm" };
  if (r < 0.52) return { kind: "text", text: `câu ${1 + Math.floor(random() * 43)}` };
  if (role === "lead" && r < 0.56) return { kind: "text", text: pickOf(random, ["/team", "thành viên", "/invites"]) };
  return { kind: "text", text: pickOf(random, MEMBER_TEXTS) };
}

function garbage(random: () => number, updateId: number): Record<string, unknown> {
  const bodies: Record<string, unknown>[] = [
    { update_id: updateId },
    { update_id: updateId, edited_message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "sửa" } },
    { update_id: updateId, poll: { id: "p", question: "?", options: [] } },
    { update_id: updateId, message: { message_id: 1, date: 0 } },
    { update_id: updateId, callback_query: { id: "x" } },
    { update_id: updateId, message: "not an object" },
    { nothing: true },
  ];
  return pickOf(random, bodies);
}

/**
 * About `total` updates for the actors: 15 % from the supervisors (their messages are the
 * expensive ones), the rest from leads and members; some come several at once from one person, some are redelivered
 * (at once or later), some are garbage the adapter ignores.
 */
export function planUpdates(seed: number, total: number, actors: readonly Actor[], agencies: number, firstUpdateId: number): Job[] {
  const random = seededRandom(seed);
  const supervisors = actors.filter((a) => a.role === "supervisor");
  const others = actors.filter((a) => a.role !== "supervisor");
  const jobs: Job[] = [];
  const events: number[] = [];
  let updateId = firstUpdateId;
  let count = 0;
  const event = (actor: Actor): Planned => {
    updateId += 1;
    events.push(updateId);
    const move = actor.role === "supervisor" ? supervisorMove(random, agencies) : memberMove(random, actor.role);
    return { kind: "event", updateId, actor, move };
  };
  while (count < total) {
    const r = random();
    const actor = random() < 0.15 ? pickOf(random, supervisors) : pickOf(random, others);
    let job: Planned[];
    if (r < 0.03) {
      updateId += 1;
      job = [{ kind: "garbage", updateId, body: garbage(random, updateId) }];
    } else if (r < 0.08 && events.length > 0) {
      job = [{ kind: "redelivery", copyOf: pickOf(random, events) }];
    } else if (r < 0.2) {
      // One person sending several messages at once: the conflict this test is about.
      job = Array.from({ length: 2 + Math.floor(random() * 3) }, () => event(actor));
    } else if (r < 0.25) {
      const first = event(actor);
      job = [first, { kind: "redelivery", copyOf: updateId }];
    } else {
      job = [event(actor)];
    }
    jobs.push(job);
    count += job.length;
  }
  return jobs;
}
