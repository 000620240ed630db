import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { type FormFieldSpec, fieldLabel, isWholeNumberField } from "../utils/procedure-form-spec.ts";
import { CsrfInput } from "./csrf-input.tsx";

export type DocumentView = { name: string; required: boolean };
export type AttachmentView = { id: string; documentIndex: number; fileName: string; sizeBytes: number };

function FieldError({ name, error }: { name: string; error?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p id={`${name}-error`} className="error-message">
      <span className="visually-hidden">{t("common:errors.prefix")}</span> {t(error)}
    </p>
  );
}

/** One generic renderer for every procedure's form: the fields are data stored with the procedure. */
export function DossierForm({
  action,
  fields,
  values,
  errors,
  documents,
  attachments,
  applicant,
}: {
  action?: string;
  fields: FormFieldSpec[];
  values: Record<string, string>;
  errors: Record<string, string>;
  documents: DocumentView[];
  attachments: AttachmentView[];
  applicant: { fullName: string; nationalId: string };
}) {
  const { t, i18n } = useTranslation("dossier");
  return (
    <Form method="post" encType="multipart/form-data" action={action} noValidate>
      <CsrfInput />
      <h2>{t("form.applicantTitle")}</h2>
      <dl className="summary-list">
        <div>
          <dt>{t("form.applicantName")}</dt>
          <dd>{applicant.fullName}</dd>
        </div>
        <div>
          <dt>{t("form.applicantId")}</dt>
          <dd>{applicant.nationalId}</dd>
        </div>
      </dl>
      <h2>{t("form.detailsTitle")}</h2>
      {fields.map((f) => {
        const error = errors[f.name];
        const label = `${fieldLabel(f, i18n.language)}${f.required ? "" : ` ${t("form.optional")}`}`;
        const common = {
          id: f.name,
          name: f.name,
          defaultValue: values[f.name] ?? "",
          "aria-invalid": error ? true : undefined,
          "aria-describedby": error ? `${f.name}-error` : undefined,
        };
        return (
          <div key={f.name} className={`form-group${error ? " form-group--error" : ""}`}>
            <label className="label" htmlFor={f.name}>
              {label}
            </label>
            <FieldError name={f.name} error={error} />
            {f.type === "textarea" ? (
              <textarea {...common} rows={4} maxLength={f.maxLength ?? 2000} />
            ) : f.type === "select" ? (
              <select {...common}>
                <option value="">{t("form.choose")}</option>
                {(f.options ?? []).map((o) => (
                  <option key={o.value} value={o.value}>
                    {i18n.language === "en" ? o.labelEn : o.labelVi}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...common}
                className={`input${error ? " input--error" : ""}`}
                type={f.type === "date" ? "date" : "text"}
                inputMode={f.type === "number" ? (isWholeNumberField(f) ? "numeric" : "decimal") : undefined}
                maxLength={f.type === "text" ? (f.maxLength ?? 200) : undefined}
              />
            )}
          </div>
        );
      })}
      <h2>{t("form.documentsTitle")}</h2>
      <p className="hint">{t("form.documentsHint")}</p>
      {documents.map((d, i) => {
        const error = errors[`document-${i}`];
        const mine = attachments.filter((a) => a.documentIndex === i);
        return (
          <div key={d.name} className={`form-group${error ? " form-group--error" : ""}`}>
            <label className="label" htmlFor={`document-${i}`}>
              {d.name} {d.required ? null : t("form.optional")}
            </label>
            <FieldError name={`document-${i}`} error={error} />
            {mine.length > 0 ? (
              <ul className="file-list">
                {mine.map((a) => (
                  <li key={a.id}>
                    {a.fileName} ({Math.ceil(a.sizeBytes / 1024)} KB){" "}
                    <label className="inline-check">
                      <input type="checkbox" name="removeAttachment" value={a.id} /> {t("form.remove")}
                    </label>
                  </li>
                ))}
              </ul>
            ) : null}
            <input
              id={`document-${i}`}
              name={`document-${i}`}
              type="file"
              accept="application/pdf,image/jpeg,image/png"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `document-${i}-error` : undefined}
            />
          </div>
        );
      })}
      <div className="button-group">
        <button type="submit" name="intent" value="continue" className="button">
          {t("form.continue")}
        </button>
        <button type="submit" name="intent" value="save" className="button button--secondary">
          {t("form.saveDraft")}
        </button>
      </div>
    </Form>
  );
}
