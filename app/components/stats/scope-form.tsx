import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { SelectField, TextField } from "../../components/ui/field.tsx";
import { LEVELS, PRESETS, type ScopeFilters } from "../../domain/stats/scope-filters.ts";

export type ScopeFormFilters = ScopeFilters;

export type ScopeFormOptions = {
  agencies: Array<{ code: string; name: string; depth: number }>;
  fields: Array<{ code: string; name: string }>;
  procedures: Array<{ code: string; name: string; field: string }>;
  /** The levels of local government in the period (ADR 016); all three when not given. */
  levels?: readonly string[];
};

const FIELDSET = { border: 0, padding: 0, margin: 0, minWidth: 0 };

/** The scope form's select, also used by the other manager pages' forms. */
export const Select = SelectField;

/**
 * Period and scope of the manager's statistics, as a plain GET form: the URL it produces is the view, so it
 * works without JavaScript and can be shared. `extra` keeps other parameters (the drill-down's metric).
 */
export function ScopeForm({
  filters,
  options,
  errors,
  action,
  extra,
}: {
  filters: ScopeFormFilters;
  options: ScopeFormOptions;
  errors: Record<string, string>;
  action?: string;
  extra?: ReactNode;
}) {
  const { t } = useTranslation("stats");
  const nowYear = new Date().getFullYear();
  const years = new Set<number>();
  for (let y = nowYear + 1; y >= Math.min(2020, Number(filters.year) || nowYear); y--) years.add(y);
  const byField = new Map<string, ScopeFormOptions["procedures"]>();
  for (const p of options.procedures) byField.set(p.field, [...(byField.get(p.field) ?? []), p]);
  const fieldName = new Map(options.fields.map((f) => [f.code, f.name]));
  return (
    <Form method="get" action={action} className="filters scope-form" aria-label={t("scope.title")}>
      {extra}
      <fieldset style={FIELDSET}>
        <legend className="label">{t("scope.periodLegend")}</legend>
        <div className="filters__grid">
          <Select
            name="period"
            label={t("scope.preset")}
            hint={t("scope.presetHint")}
            error={errors.period}
            defaultValue={filters.period}
          >
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {t(`scope.presets.${p}`)}
              </option>
            ))}
          </Select>
          <div className="period-field period-field--year">
            <Select name="year" label={t("scope.year")} error={errors.year} defaultValue={filters.year}>
              {[...years].map((y) => (
                <option key={y} value={String(y)}>
                  {y}
                </option>
              ))}
            </Select>
          </div>
          <div className="period-field period-field--quarter">
            <Select name="quarter" label={t("scope.quarter")} error={errors.quarter} defaultValue={filters.quarter}>
              {[1, 2, 3, 4].map((q) => (
                <option key={q} value={String(q)}>
                  {t("scope.quarterOption", { n: q })}
                </option>
              ))}
            </Select>
          </div>
          <div className="period-field period-field--month">
            <Select name="month" label={t("scope.month")} error={errors.month} defaultValue={filters.month}>
              {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
                <option key={m} value={String(m)}>
                  {t("scope.monthOption", { n: m })}
                </option>
              ))}
            </Select>
          </div>
          <div className="period-field period-field--custom">
            <TextField
              name="from"
              type="date"
              label={t("scope.from")}
              hint={t("scope.customHint")}
              error={errors.from}
              defaultValue={filters.from}
            />
          </div>
          <div className="period-field period-field--custom">
            <TextField
              name="to"
              type="date"
              label={t("scope.to")}
              hint={t("scope.customHint")}
              error={errors.to}
              defaultValue={filters.to}
            />
          </div>
        </div>
      </fieldset>
      <fieldset style={FIELDSET}>
        <legend className="label">{t("scope.scopeLegend")}</legend>
        <div className="filters__grid">
          <Select name="agency" label={t("scope.agency")} error={errors.agency} defaultValue={filters.agency}>
            {options.agencies.map((a) => (
              <option key={a.code} value={a.code}>
                {`${"\u00a0\u00a0".repeat(a.depth)}${a.name}`}
              </option>
            ))}
          </Select>
          <Select name="level" label={t("scope.level")} error={errors.level} defaultValue={filters.level}>
            <option value="">{t("scope.allLevels")}</option>
            {LEVELS.filter((l) => !options.levels || options.levels.includes(l) || l === filters.level).map((l) => (
              <option key={l} value={l}>
                {t(`scope.levels.${l}`)}
              </option>
            ))}
          </Select>
          <Select name="field" label={t("scope.field")} error={errors.field} defaultValue={filters.field}>
            <option value="">{t("scope.allFields")}</option>
            {options.fields.map((f) => (
              <option key={f.code} value={f.code}>
                {f.name}
              </option>
            ))}
          </Select>
          <Select
            name="procedure"
            label={t("scope.procedure")}
            hint={filters.field ? undefined : t("scope.procedureHint")}
            error={errors.procedure}
            defaultValue={filters.procedure}
          >
            <option value="">{t("scope.allProcedures")}</option>
            {[...byField].map(([field, procs]) => (
              <optgroup key={field} label={fieldName.get(field) ?? field}>
                {procs.map((p) => (
                  <option key={p.code} value={p.code}>
                    {`${p.code} — ${p.name}`}
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
        </div>
      </fieldset>
      <button type="submit" className="button">
        {t("scope.apply")}
      </button>
    </Form>
  );
}
