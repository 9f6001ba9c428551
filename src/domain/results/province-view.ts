import type { IndexDefinition } from "../questionnaire/definition-schema.js";
import type { AssessmentScore } from "../questionnaire/scoring.js";

/** Where an agency stands in a period: no answer yet, some answers, or submitted by its lead. */
export type AgencyStatus = "not-started" | "in-progress" | "submitted";

export function agencyStatus(assessmentStatus: string | null, answered: number): AgencyStatus {
  if (assessmentStatus === "submitted") return "submitted";
  return answered === 0 ? "not-started" : "in-progress";
}

export interface AgencyMemberView {
  readonly name: string;
  readonly role: "member" | "lead";
  /** False when every chat account of the person was reported blocked by its platform. */
  readonly reachable: boolean;
}

/** One agency as a province supervisor sees it. */
export interface AgencyOverview {
  readonly id: string;
  readonly name: string;
  readonly group: string;
  readonly status: AgencyStatus;
  readonly score: AssessmentScore;
  readonly submittedAt: Date | null;
  readonly submittedByName: string | null;
  /** The last change to the assessment (answer, note, evidence, submission), or null. */
  readonly lastActivity: Date | null;
  readonly members: readonly AgencyMemberView[];
  /** Chat accounts a nudge would reach now: reachable, reminders on, on a messaging platform. */
  readonly recipients: number;
  /** A nudge already went to this agency today (Vietnam calendar day). */
  readonly nudgedToday: boolean;
}

/**
 * A supervisor's province in the current period (chosen as for agencies: the open one, else the latest opened, else
 * the next). Loaded by the app for supervisors only, and only ever for the supervisor's own province.
 */
export interface ProvinceView {
  readonly provinceName: string;
  readonly period: { readonly id: string; readonly name: string; readonly entryOpens: Date; readonly entryCloses: Date } | null;
  readonly definition: IndexDefinition | null;
  readonly agencies: readonly AgencyOverview[];
}

/**
 * The order a supervisor reads agencies in, and so their numbers: by name (Vietnamese alphabetical order). Numbers
 * never move when an agency starts or submits, so "overview 3" names the same agency all period long; the
 * overview's counts line tells how many are behind.
 */
export function overviewOrder(agencies: readonly AgencyOverview[]): AgencyOverview[] {
  return [...agencies].sort((a, b) => a.name.localeCompare(b.name, "vi") || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
