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
  const { t, i18n } = useTranslation("stats");
  const day = (d: string) =>
    new Intl.DateTimeFormat(i18n.language === "en" ? "en-GB" : "vi-VN", {
      timeZone: "UTC",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
    }).format(new Date(`${d}T00:00:00Z`));
  const agency = options.agencies.find((a) => a.code === filters.agency)?.name ?? filters.agency;
  const parts = [
    t("scope.summaryPeriod", { from: day(filters.from), to: day(filters.to) }),
    t("scope.summaryAgency", { agency }),
  ];
  if (filters.level) parts.push(t(`scope.levels.${filters.level}`));
  if (filters.field) parts.push(options.fields.find((f) => f.code === filters.field)?.name ?? filters.field);
  if (filters.procedure) parts.push(`${t("scope.procedure")} ${filters.procedure}`);
  return <p className="lead">{parts.join(" · ")}</p>;
}
