import { useTranslation } from "react-i18next";

/** GOV.UK error summary: focused on load, lists every problem, each linking to its field. */
export function ErrorSummary({
  errors,
  formError,
  labels,
  values,
}: {
  errors?: Record<string, string>;
  formError?: string;
  /** Field labels, so each entry says which field it is about. */
  labels?: Record<string, string>;
  /** Values the messages interpolate (e.g. a size limit). */
  values?: Record<string, string>;
}) {
  const { t } = useTranslation();
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0 && !formError) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabIndex={-1}
      ref={(el) => el?.focus()}
    >
      <h2 id="error-summary-title" className="error-summary__title">
        {t("common:errors.summaryTitle")}
      </h2>
      <ul className="error-summary__list">
        {formError ? <li>{t(formError, values)}</li> : null}
        {entries.map(([field, key]) => (
          <li key={field}>
            <a href={`#${field}`}>{labels?.[field] ? `${labels[field]}: ${t(key, values)}` : t(key, values)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
