import { useTranslation } from "react-i18next";
import type { StepShareView } from "../domain/dossier/step-shares.ts";
import { formatCount } from "../utils/format.ts";

export type { StepShareView };

type Props =
  | {
      /** The clerk's dossier page: step, unit, hours used against the budget, verdict. */
      variant: "summary";
      steps: StepShareView[];
    }
  | {
      /** The manager's control sheet: also when each step started and ended, with late steps flagged. */
      variant: "sheet";
      steps: Array<StepShareView & { startedAt: string; endedAt: string | null }>;
      when: (iso: string | null) => string;
    };

/** The step-shares table of a dossier's processing control sheet (form 05). */
export function StepSharesTable(props: Props) {
  const { t, i18n } = useTranslation("dossier");
  const sheet = props.variant === "sheet" ? props : null;
  const steps: Array<StepShareView & { startedAt?: string; endedAt?: string | null }> = props.steps;
  return (
    <table className="table table--cards table--compact">
      <caption>{t("steps.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("steps.step")}</th>
          <th scope="col">{t("steps.unit")}</th>
          {sheet ? (
            <>
              <th scope="col">{t("stats:sheet.from")}</th>
              <th scope="col">{t("stats:sheet.to")}</th>
            </>
          ) : null}
          <th scope="col" className="num">
            {t("steps.used")}
          </th>
          <th scope="col" className="num">
            {t("steps.budget")}
          </th>
          <th scope="col">{t("steps.verdict")}</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s) => {
          const name = t(`steps.names.${s.step}`);
          const verdict = t(`steps.verdicts.${s.verdict}`);
          return (
            <tr key={sheet ? `${s.step}-${s.startedAt}` : `${s.step}-${s.unit}`}>
              {sheet ? (
                <th scope="row" data-label={t("steps.step")}>
                  {name}
                </th>
              ) : (
                <td data-label={t("steps.step")}>{name}</td>
              )}
              <td data-label={t("steps.unit")}>{s.unit}</td>
              {sheet ? (
                <>
                  <td data-label={t("stats:sheet.from")}>{sheet.when(s.startedAt ?? null)}</td>
                  <td data-label={t("stats:sheet.to")}>{sheet.when(s.endedAt ?? null)}</td>
                </>
              ) : null}
              <td data-label={t("steps.used")} className="num">
                {formatCount(s.usedHours, i18n.language)}
              </td>
              <td data-label={t("steps.budget")} className="num">
                {formatCount(s.budgetHours, i18n.language)}
              </td>
              <td data-label={t("steps.verdict")}>
                {sheet && s.verdict === "late" ? <strong className="flag flag--overdue">{verdict}</strong> : verdict}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
