/** Ranking groups (khối): agencies are compared within their group. */
export const AGENCY_GROUPS = ["central-newspaper", "local-newspaper", "magazine", "science-journal", "radio-tv"] as const;
export type AgencyGroup = (typeof AGENCY_GROUPS)[number];

export const AGENCY_TYPES = ["newspaper", "magazine", "science-journal", "radio-tv"] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];
