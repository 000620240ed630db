import { useTranslation } from "react-i18next";
import { formatDate, formatPercent } from "../../utils/format.ts";
import type { ScopeFormFilters, ScopeFormOptions } from "./scope-form.tsx";

/** A fraction as a percentage in the page's language (83,3% / 83.3%); "—" when there is no value. */
export function pct(v: number | null | undefined, lng: string, digits = 1): string {
  return formatPercent(v, lng, digits);
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
  const day = (d: string) => formatDate(d, i18n.language);
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
