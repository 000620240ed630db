/**
 * The period and scope a manager's statistics are asked for, as the scope form shows them and the server
 * reads them from the URL. Shared by both, so it must stay free of server-only code.
 */

/** Period presets: a calendar year, quarter or month, or a custom range. */
export const PRESETS = ["year", "quarter", "month", "custom"] as const;
export type Preset = (typeof PRESETS)[number];
/** Agency levels a scope can be narrowed to. */
export const LEVELS = ["province", "district", "commune"] as const;
export type Level = (typeof LEVELS)[number];

/** What the form shows: the values in force (after defaults replaced bad input). */
export type ScopeFilters = {
  period: Preset;
  year: string;
  quarter: string;
  month: string;
  from: string;
  to: string;
  agency: string;
  level: string;
  field: string;
  procedure: string;
};
