import type { InputHTMLAttributes, ReactNode } from "react";
import { useTranslation } from "react-i18next";

type FrameProps = {
  name: string;
  label: string;
  hint?: string;
  error?: string;
};

type FieldProps = FrameProps & {
  defaultValue?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue">;

/** The attributes that tie a control to its hint and error for screen readers. */
function controlAria({ name, hint, error }: Omit<FrameProps, "label">) {
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ");
  return { "aria-describedby": describedBy || undefined, "aria-invalid": error ? true : undefined } as const;
}

/** The form group around one control: its label, hint and translated error. */
function FieldFrame({ name, label, hint, error, children }: FrameProps & { children: ReactNode }) {
  const { t } = useTranslation();
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
      {children}
    </div>
  );
}

/** A labelled text input with hint and translated error, wired for screen readers. */
export function TextField({ name, label, hint, error, defaultValue, ...rest }: FieldProps) {
  return (
    <FieldFrame name={name} label={label} hint={hint} error={error}>
      <input
        id={name}
        name={name}
        className={`input${error ? " input--error" : ""}`}
        defaultValue={defaultValue}
        {...controlAria({ name, hint, error })}
        {...rest}
      />
    </FieldFrame>
  );
}

/** A labelled select with hint and translated error, wired for screen readers; the options are its children. */
export function SelectField({
  name,
  label,
  hint,
  error,
  defaultValue,
  children,
}: FrameProps & { defaultValue?: string; children: ReactNode }) {
  return (
    <FieldFrame name={name} label={label} hint={hint} error={error}>
      <select id={name} name={name} defaultValue={defaultValue} {...controlAria({ name, hint, error })}>
        {children}
      </select>
    </FieldFrame>
  );
}
