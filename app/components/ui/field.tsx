import type { InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";

type FieldProps = {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  defaultValue?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue">;

/** A labelled text input with hint and translated error, wired for screen readers. */
export function TextField({ name, label, hint, error, defaultValue, ...rest }: FieldProps) {
  const { t } = useTranslation();
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label className="label" htmlFor={name}>
        {label}
      </label>
      {hint ? (
        <div id={`${name}-hint`} className="hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="error-message">
          <span className="visually-hidden">{t("common:errors.prefix")}</span> {t(error)}
        </p>
      ) : null}
      <input
        id={name}
        name={name}
        className={`input${error ? " input--error" : ""}`}
        defaultValue={defaultValue}
        aria-describedby={describedBy || undefined}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </div>
  );
}
