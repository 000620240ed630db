import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CONTACT_FIELDS, DELIVERY_METHODS } from "../utils/contact.ts";
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
  contact,
}: {
  action?: string;
  fields: FormFieldSpec[];
  values: Record<string, string>;
  errors: Record<string, string>;
  documents: DocumentView[];
  attachments: AttachmentView[];
  applicant: { fullName: string; nationalId: string };
  contact: { phone: string; address: string; delivery: string; postal: string };
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
      <ContactFields contact={contact} errors={errors} />
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

/**
 * Contact details and how the result is received. Works without JavaScript: the postal address is
 * always shown, with a hint that it is only needed for delivery by post (the server checks it).
 */
function ContactFields({
  contact,
  errors,
}: {
  contact: { phone: string; address: string; delivery: string; postal: string };
  errors: Record<string, string>;
}) {
  const { t } = useTranslation("dossier");
  const described = (name: string, hint?: string) =>
    [hint, errors[name] ? `${name}-error` : undefined].filter(Boolean).join(" ") || undefined;
  const phoneError = errors[CONTACT_FIELDS.phone];
  const addressError = errors[CONTACT_FIELDS.address];
  const deliveryError = errors[CONTACT_FIELDS.delivery];
  const postalError = errors[CONTACT_FIELDS.postal];
  return (
    <>
      <h2>{t("contact.title")}</h2>
      <div className={`form-group${phoneError ? " form-group--error" : ""}`}>
        <label className="label" htmlFor={CONTACT_FIELDS.phone}>
          {t("contact.phone")}
        </label>
        <p id="contact-phone-hint" className="hint">
          {t("contact.phoneHint")}
        </p>
        <FieldError name={CONTACT_FIELDS.phone} error={phoneError} />
        <input
          id={CONTACT_FIELDS.phone}
          name={CONTACT_FIELDS.phone}
          className={`input input--phone${phoneError ? " input--error" : ""}`}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={20}
          defaultValue={contact.phone}
          aria-invalid={phoneError ? true : undefined}
          aria-describedby={described(CONTACT_FIELDS.phone, "contact-phone-hint")}
        />
      </div>
      <div className={`form-group${addressError ? " form-group--error" : ""}`}>
        <label className="label" htmlFor={CONTACT_FIELDS.address}>
          {t("contact.address")}
        </label>
        <FieldError name={CONTACT_FIELDS.address} error={addressError} />
        <textarea
          id={CONTACT_FIELDS.address}
          name={CONTACT_FIELDS.address}
          rows={2}
          maxLength={300}
          autoComplete="street-address"
          defaultValue={contact.address}
          aria-invalid={addressError ? true : undefined}
          aria-describedby={described(CONTACT_FIELDS.address)}
        />
      </div>
      <fieldset
        className={`fieldset form-group${deliveryError ? " form-group--error" : ""}`}
        aria-describedby={described(CONTACT_FIELDS.delivery)}
      >
        <legend className="fieldset__legend">{t("contact.delivery")}</legend>
        <FieldError name={CONTACT_FIELDS.delivery} error={deliveryError} />
        <div>
          {DELIVERY_METHODS.map((m, i) => (
            <div key={m} className="radios__item radios__item--hinted">
              <input
                className="radios__input"
                type="radio"
                id={i === 0 ? CONTACT_FIELDS.delivery : `${CONTACT_FIELDS.delivery}-${m}`}
                name={CONTACT_FIELDS.delivery}
                value={m}
                defaultChecked={contact.delivery === m}
                aria-describedby={`${CONTACT_FIELDS.delivery}-${m}-hint`}
              />
              <label
                className="label radios__label"
                htmlFor={i === 0 ? CONTACT_FIELDS.delivery : `${CONTACT_FIELDS.delivery}-${m}`}
              >
                {t(`contact.method.${m}`)}
              </label>
              <p id={`${CONTACT_FIELDS.delivery}-${m}-hint`} className="hint radios__hint">
                {t(`contact.methodHint.${m}`)}
              </p>
            </div>
          ))}
        </div>
      </fieldset>
      <div className={`form-group${postalError ? " form-group--error" : ""}`}>
        <label className="label" htmlFor={CONTACT_FIELDS.postal}>
          {t("contact.postal")}
        </label>
        <p id="contact-postal-hint" className="hint">
          {t("contact.postalHint")}
        </p>
        <FieldError name={CONTACT_FIELDS.postal} error={postalError} />
        <textarea
          id={CONTACT_FIELDS.postal}
          name={CONTACT_FIELDS.postal}
          rows={2}
          maxLength={300}
          autoComplete="shipping street-address"
          defaultValue={contact.postal}
          aria-invalid={postalError ? true : undefined}
          aria-describedby={described(CONTACT_FIELDS.postal, "contact-postal-hint")}
        />
      </div>
    </>
  );
}
