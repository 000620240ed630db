import { useTranslation } from "react-i18next";
import { formatDate, formatDateTime, formatDecimal, formatPercent } from "../../utils/format.ts";
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

type ReadNoticeView = {
  configured: boolean;
  source: "primary" | "replica";
  lagMs: number | null;
  asOf: string | null;
  fallback: "lagging" | "unavailable" | null;
  maxLagMs: number;
};

/** Where the figures were read, when a read replica is configured (ADR 022): its staleness, or why not. */
export function ReadSourceNote({ read }: { read: ReadNoticeView }) {
  const { t, i18n } = useTranslation("stats");
  if (!read.configured) return null;
  const seconds = (ms: number | null) =>
    t("readSource.seconds", { n: formatDecimal((ms ?? 0) / 1000, i18n.language, 1) });
  if (read.fallback === "unavailable") return <p className="hint">{t("readSource.unavailable")}</p>;
  if (read.fallback === "lagging")
    return <p className="hint">{t("readSource.lagging", { lag: seconds(read.lagMs), max: seconds(read.maxLagMs) })}</p>;
  return (
    <p className="hint" data-read-source="replica">
      {t("readSource.replica", {
        lag: seconds(read.lagMs),
        asOf: read.asOf ? formatDateTime(read.asOf, i18n.language) : "—",
      })}
    </p>
  );
}
