import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { db } from "../../server/db.server.ts";
import { ownDossier } from "../../server/dossiers/citizen-access.server.ts";
import { failure, fieldFailure, formFailure, readForm } from "../../server/form.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import {
  citizenSigningEnabled,
  completeCitizenSigning,
  demoPhoneUrl,
  SigningRefused,
  startCitizenSigning,
} from "../../server/signing/citizen-signing.server.ts";

export const handle = { i18n: ["dossier", "documents", "validation"] };

/**
 * "Ký số hồ sơ" (ADR 018): the one-time code page of the citizen's remote signing. Reached by the button on
 * the check page (which has the code sent); works without JavaScript. Only the applicant, only for a draft.
 */
async function guard(request: Request, id: string | undefined) {
  const { user, row } = await ownDossier(request, id);
  if (!citizenSigningEnabled()) throw new Response("Not Found", { status: 404 });
  if (row.status !== "draft") throw redirect(`/dossiers/${row.id}`);
  return { user, row };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { row } = await guard(request, params.id);
  const t = await getT(request, "documents");
  const lng = await getLanguage(request);
  // The credential ID in the address only picks the demo phone page to link to; signing looks it up again.
  const credential = new URL(request.url).searchParams.get("c");
  return {
    title: t("signing.otpTitle"),
    id: row.id,
    procedure: lng === "en" ? row.procedure_name_en : row.procedure_name_vi,
    phoneUrl: credential && /^[\w.:-]{1,200}$/.test(credential) ? demoPhoneUrl(credential) : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, row } = await guard(request, params.id);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const citizen = { id: user.id, fullName: user.fullName, nationalId: user.nationalId };
  try {
    if (intent === "start" || intent === "resend") {
      const { credentialID } = await startCitizenSigning(citizen);
      if (intent === "resend") return { ok: true as const, resent: true };
      return redirect(`/dossiers/${row.id}/sign?c=${encodeURIComponent(credentialID)}`);
    }
    await completeCitizenSigning(db, citizen, row.id, String(formData.get("otp") ?? ""), new Date());
    return redirect(`/dossiers/${row.id}/check?signed=1`);
  } catch (error) {
    if (!(error instanceof SigningRefused)) throw error;
    const key = `documents:signingErrors.${error.problem}`;
    // Code problems belong to the code field; the others to the whole form.
    return ["wrongOtp", "otpExpired", "otpFormat"].includes(error.problem)
      ? failure(context, fieldFailure(formData, "otp", key), 422)
      : failure(context, formFailure(formData, key), 422);
  }
}

export default function SignDeclaration() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("documents");
  const errors = result && "errors" in result ? result.errors : undefined;
  const formError = result && "formError" in result ? result.formError : undefined;
  const resent = result && "resent" in result;
  return (
    <div className="narrow">
      <ErrorSummary errors={errors} formError={formError} labels={{ otp: t("signing.otpLabel") }} />
      <span className="caption">{data.procedure}</span>
      <h1>{t("signing.otpTitle")}</h1>
      {resent ? (
        <p className="notice" role="status">
          {t("signing.resent")}
        </p>
      ) : null}
      <p>{t("signing.otpIntro")}</p>
      {data.phoneUrl ? (
        <p className="hint" data-testid="demo-phone">
          <a href={data.phoneUrl} target="_blank" rel="noreferrer">
            {t("signing.demoPhone")}
          </a>
        </p>
      ) : null}
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="sign" />
        <TextField
          name="otp"
          label={t("signing.otpLabel")}
          hint={t("signing.otpHint")}
          error={errors?.otp}
          inputMode="numeric"
          autoComplete="one-time-code"
          spellCheck={false}
          maxLength={8}
        />
        <button type="submit" className="button">
          {t("signing.submit")}
        </button>
      </Form>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="resend" />
        <button type="submit" className="button button--secondary">
          {t("signing.resend")}
        </button>
      </Form>
      <p>
        <Link to={`/dossiers/${data.id}/check`}>{t("signing.back")}</Link>
      </p>
    </div>
  );
}
