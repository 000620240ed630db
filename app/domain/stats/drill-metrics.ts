/**
 * The dashboard numbers that can be opened as a list of the dossiers (or payments) behind them
 * (docs/domain.md#metrics). The server's drill-down (app/server/stats/drilldown.server.ts) gives each one its
 * row condition; the dashboard links a number to its list only when the metric is here.
 */
export const DRILL_METRICS = [
  "received",
  "receivedOnline",
  "resolved",
  "resolvedInTime",
  "resolvedEarly",
  "resolvedOnTime",
  "resolvedLate",
  "overdueOpen",
  "openNotYetDue",
  "fullProcedureDossiers",
  "handledWhollyOnline",
  "digitisedDossiers",
  "feeBearingDossiers",
  "dossiersPaidOnline",
  "returned",
  "returnedElectronic",
  "rated",
  "ratedSatisfied",
  "ratedNotSatisfied",
  "feePayments",
  "cashlessPayments",
] as const;
export type DrillMetric = (typeof DRILL_METRICS)[number];

export function isDrillMetric(v: unknown): v is DrillMetric {
  return typeof v === "string" && (DRILL_METRICS as readonly string[]).includes(v);
}
