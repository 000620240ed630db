/**
 * The generated year seen through the portal's own metric code (metricsFor: rollups + domain formulas),
 * next to what Quảng Ninh reported for 2023 (docs/domain.md#reference-province).
 */
import type { Kysely } from "kysely";
import type { Metrics } from "../../../app/domain/stats/metrics.ts";
import type { Database } from "../../../app/server/db.server.ts";
import { metricsFor } from "../../../app/server/stats/stats-service.server.ts";
import type { Period } from "./generate.ts";

export type YearReport = {
  all: Metrics;
  index: number | null;
  byLevel: Record<"province" | "district" | "commune", Metrics>;
};

export async function yearReport(db: Kysely<Database>, period: Period, now: Date): Promise<YearReport> {
  const all = await metricsFor(db, period, { agencyCodes: null }, now);
  const byLevel = {} as YearReport["byLevel"];
  for (const level of ["province", "district", "commune"] as const) {
    byLevel[level] = (await metricsFor(db, period, { agencyCodes: null, level }, now)).metrics;
  }
  return { all: all.metrics, index: all.index.scoreOutOf100, byLevel };
}

const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(2)}%`);
const int = (v: number) => v.toLocaleString("en-US");

/** Rows of metric | reported | generated. `reported` is only shown for the Quảng Ninh 2023 scale. */
export function reportRows(r: YearReport, withReported: boolean): Array<[string, string, string]> {
  const rep = (s: string) => (withReported ? s : "");
  const a = r.all;
  return [
    ["Dossiers received", rep("861,990"), int(a.received)],
    ["Filed online (onlineRate)", rep("over 77%"), pct(a.onlineRate)],
    ["Resolved on time or early (onTimeRate)", rep("99.7%"), pct(a.onTimeRate)],
    ["Fees paid cashless (cashlessRate)", rep("100%"), pct(a.cashlessRate)],
    [
      "Procedures offered online (onlineProcedureRate)",
      rep("1,240 / 1,367 = 90.7%"),
      `${int(a.proceduresFullOnline + a.proceduresPartialOnline)} / ${int(a.proceduresTotal)} = ${pct(a.onlineProcedureRate)}`,
    ],
    ["Full-process online handling (fullProcessRate)", rep("over 82%"), pct(a.fullProcessRate)],
    // The levels of the period (2026 has no district level: ADR 016).
    ...(
      [
        ["commune", "over 75%"],
        ["district", "over 80%"],
        ["province", "over 85%"],
      ] as const
    )
      .filter(([level]) => withReported || r.byLevel[level].received > 0)
      .map(([level, reported]): [string, string, string] => [
        `  – ${level} level`,
        rep(reported),
        pct(r.byLevel[level].fullProcessRate),
      ]),
    ["Resolved (ended in the period)", rep(""), `${int(a.resolved)} (late ${int(a.resolvedLate)})`],
    ["Fee payments (cashless)", rep(""), `${int(a.feePayments)} (${int(a.cashlessPayments)})`],
    ["Digitised dossiers (digitisedRate)", rep(""), pct(a.digitisedRate)],
    ["Results returned electronically (eResultRate)", rep(""), pct(a.eResultRate)],
    ["Satisfied ratings (satisfiedRate)", rep(""), pct(a.satisfiedRate)],
    ["Decision 766 index (assessed indicators)", rep(""), r.index === null ? "–" : r.index.toFixed(2)],
  ];
}

export function formatTable(rows: Array<[string, string, string]>, withReported: boolean): string {
  const head: [string, string, string] = ["Metric", withReported ? "Reported (QN 2023)" : "", "Generated"];
  const all = [head, ...rows];
  const w = [0, 1, 2].map((i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: [string, string, string]) =>
    withReported ? `${r[0].padEnd(w[0]!)}  ${r[1].padEnd(w[1]!)}  ${r[2]}` : `${r[0].padEnd(w[0]!)}  ${r[2]}`;
  return [line(head), ...rows.map(line)].join("\n");
}
