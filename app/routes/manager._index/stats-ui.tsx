import { useTranslation } from "react-i18next";
import type { ScopeFormFilters, ScopeFormOptions } from "./scope-form.tsx";

/** A fraction as a percentage for display; "—" when there is no value. */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? "—" : `${(v * 100).toFixed(digits)}%`;
}

export type Status = "noTarget" | "notAssessed" | "below" | "forecastBelow" | "met";

/** Where a rate stands against its target, in words (never by colour alone). */
export function TargetStatusTag({ status }: { status: Status }) {
  const { t } = useTranslation("stats");
  if (status === "below") return <strong className="flag flag--overdue">{t("status.below")}</strong>;
  if (status === "forecastBelow") return <strong className="flag flag--risk">{t("status.forecastBelow")}</strong>;
  return <span>{t(`status.${status}`)}</span>;
}

/** One line saying which period and scope the figures are for. */
export function ScopeSummary({ filters, options }: { filters: ScopeFormFilters; options: ScopeFormOptions }) {
  const { t } = useTranslation("stats");
  const agency = options.agencies.find((a) => a.code === filters.agency)?.name ?? filters.agency;
  const parts = [
    t("scope.summaryPeriod", { from: filters.from, to: filters.to }),
    t("scope.summaryAgency", { agency }),
  ];
  if (filters.level) parts.push(t(`scope.levels.${filters.level}`));
  if (filters.field) parts.push(options.fields.find((f) => f.code === filters.field)?.name ?? filters.field);
  if (filters.procedure) parts.push(`${t("scope.procedure")} ${filters.procedure}`);
  return <p className="lead">{parts.join(" · ")}</p>;
}
