import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { requireAgencyClerk } from "../../server/auth.server.ts";
import { proceduresOfAgency } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { intakeDossier } from "../../server/dossiers/workflow-service.server.ts";
import { StorageFullError } from "../../server/files/file-store.server.ts";
import { failure, fieldFailure, readForm, validateForm } from "../../server/form.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { DELIVERY_METHODS } from "../../utils/contact.ts";
import { localName } from "../../utils/format.ts";
import { IntakeSchema } from "../../utils/intake-schema.ts";

export const handle = { i18n: ["dossier", "auth", "validation"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAgencyClerk(request);
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  const procedures = await proceduresOfAgency(db, user.agencyCode);
  return { title: t("intake.title"), procedures: procedures.map((p) => ({ code: p.code, name: localName(p, lng) })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAgencyClerk(request);
  const formData = await readForm(request);
  const result = validateForm(IntakeSchema, formData);
  if (!result.ok) return failure(context, result);
  const scans = formData.getAll("scans").filter((f): f is File => typeof f !== "string" && f.size > 0);
  try {
    const created = await intakeDossier(
      db,
      { id: user.id, agencyCode: user.agencyCode },
      { ...result.value, scans },
      new Date(),
    );
    if ("problems" in created)
      return failure(context, fieldFailure(formData, "scans", `validation:upload.${created.problems[0]}`));
    return redirect(`/clerk/dossiers/${created.id}?done=intake`);
  } catch (error) {
    if (error instanceof StorageFullError)
      return failure(context, fieldFailure(formData, "scans", "validation:upload.storageFullRetry"), 503);
    if (error instanceof Error && error.name === "DossierNotFoundError") {
      return failure(context, fieldFailure(formData, "procedureCode", "validation:intake.procedure"));
    }
    throw error;
  }
}

export default function Intake() {
  const { procedures } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("dossier");
  const errors = actionData?.errors;
  const values = actionData?.values;
  return (
    <div className="narrow">
      <ErrorSummary errors={errors} formError={actionData?.formError} />
      <p>
        <Link to="/clerk">{t("clerkAction.back")}</Link>
      </p>
      <h1>{t("intake.title")}</h1>
      <Form method="post" encType="multipart/form-data" noValidate>
        <CsrfInput />
        <div className={`form-group${errors?.procedureCode ? " form-group--error" : ""}`}>
          <label className="label" htmlFor="procedureCode">
            {t("intake.procedure")}
          </label>
          {errors?.procedureCode ? <p className="error-message">{t(errors.procedureCode)}</p> : null}
          <select id="procedureCode" name="procedureCode" defaultValue={values?.procedureCode ?? ""}>
            <option value="">{t("form.choose")}</option>
            {procedures.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="form-group">
          <legend className="label">{t("intake.channel")}</legend>
          {errors?.channel ? <p className="error-message">{t(errors.channel)}</p> : null}
          <label className="inline-check">
            <input
              type="radio"
              name="channel"
              value="counter"
              defaultChecked={(values?.channel ?? "counter") === "counter"}
            />{" "}
            {t("channel.counter")}
          </label>
          <label className="inline-check">
            <input type="radio" name="channel" value="postal" defaultChecked={values?.channel === "postal"} />{" "}
            {t("channel.postal")}
          </label>
        </fieldset>
        <TextField
          name="nationalId"
          label={t("intake.nationalId")}
          error={errors?.nationalId}
          defaultValue={values?.nationalId}
          inputMode="numeric"
        />
        <TextField
          name="fullName"
          label={t("intake.fullName")}
          error={errors?.fullName}
          defaultValue={values?.fullName}
        />
        <TextField
          name="phone"
          label={t("intake.phone")}
          hint={t("contact.phoneHint")}
          error={errors?.phone}
          defaultValue={values?.phone}
          inputMode="tel"
        />
        <TextField
          name="contactAddress"
          label={t("contact.address")}
          error={errors?.contactAddress}
          defaultValue={values?.contactAddress}
        />
        <fieldset className={`fieldset form-group${errors?.deliveryMethod ? " form-group--error" : ""}`}>
          <legend className="fieldset__legend">{t("contact.delivery")}</legend>
          {errors?.deliveryMethod ? <p className="error-message">{t(errors.deliveryMethod)}</p> : null}
          {DELIVERY_METHODS.map((m) => (
            <div key={m} className="radios__item">
              <input
                className="radios__input"
                type="radio"
                id={m === "counter" ? "deliveryMethod" : `deliveryMethod-${m}`}
                name="deliveryMethod"
                value={m}
                defaultChecked={(values?.deliveryMethod ?? "counter") === m}
              />
              <label
                className="label radios__label"
                htmlFor={m === "counter" ? "deliveryMethod" : `deliveryMethod-${m}`}
              >
                {t(`contact.method.${m}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <TextField
          name="postalAddress"
          label={t("contact.postal")}
          hint={t("contact.postalHint")}
          error={errors?.postalAddress}
          defaultValue={values?.postalAddress}
        />
        <div className={`form-group${errors?.scans ? " form-group--error" : ""}`}>
          <label className="label" htmlFor="scans">
            {t("intake.scans")}
          </label>
          {errors?.scans ? <p className="error-message">{t(errors.scans)}</p> : null}
          <input id="scans" name="scans" type="file" multiple accept="application/pdf,image/jpeg,image/png" />
        </div>
        <button type="submit" className="button">
          {t("intake.submit")}
        </button>
      </Form>
    </div>
  );
}
