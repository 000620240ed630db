import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";

type FrameProps = {
  name: string;
  /** The control's id, when one form name appears several times on a page (one form per table row). */
  id?: string;
  label: ReactNode;
  hint?: string;
  error?: string;
};

type FieldProps = FrameProps & {
  defaultValue?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue">;

/** The attributes that tie a control to its hint and error for screen readers. */
function controlAria({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return { "aria-describedby": describedBy || undefined, "aria-invalid": error ? true : undefined } as const;
}

/** The form group around one control: its label, hint and translated error. */
function FieldFrame({
  id,
  label,
  hint,
  error,
  children,
}: Omit<FrameProps, "name"> & { id: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="error-message">
          <span className="visually-hidden">{t("common:errors.prefix")}</span> {t(error)}
        </p>
      ) : null}
      {children}
    </div>
  );
}

/** A labelled text input with hint and translated error, wired for screen readers. */
export function TextField({ name, id = name, label, hint, error, defaultValue, ...rest }: FieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={name}
        className={`input${error ? " input--error" : ""}`}
        defaultValue={defaultValue}
        {...controlAria({ id, hint, error })}
        {...rest}
      />
    </FieldFrame>
  );
}

/** A labelled select with hint and translated error, wired for screen readers; the options are its children. */
export function SelectField({
  name,
  id = name,
  label,
  hint,
  error,
  defaultValue,
  children,
}: FrameProps & { defaultValue?: string; children: ReactNode }) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select id={id} name={name} defaultValue={defaultValue} {...controlAria({ id, hint, error })}>
        {children}
      </select>
    </FieldFrame>
  );
}

/** A labelled multi-line text box with hint and translated error, wired for screen readers. */
export function TextAreaField({
  name,
  id = name,
  label,
  hint,
  error,
  defaultValue,
  ...rest
}: FrameProps & { defaultValue?: string } & Omit<
    TextareaHTMLAttributes<HTMLTextAreaElement>,
    "name" | "defaultValue"
  >) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea id={id} name={name} defaultValue={defaultValue} {...controlAria({ id, hint, error })} {...rest} />
    </FieldFrame>
  );
}
