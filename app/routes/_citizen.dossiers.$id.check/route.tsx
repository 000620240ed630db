import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ContactSummary } from "../../components/contact-summary.tsx";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { db } from "../../server/db.server.ts";
import { ownDossier } from "../../server/dossiers/citizen-access.server.ts";
import { attachmentsOf } from "../../server/dossiers/dossier-queries.server.ts";
import {
  contactOf,
  type Document,
  IncompleteDossierError,
  submitDossier,
} from "../../server/dossiers/dossier-service.server.ts";
import { readForm } from "../../server/form.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { citizenSigningEnabled, signatureOfDossier } from "../../server/signing/citizen-signing.server.ts";
import { formatDateTime, formatVnd } from "../../utils/format.ts";
import { answerText, type FormFieldSpec, fieldLabel } from "../../utils/procedure-form-spec.ts";

export const handle = { i18n: ["dossier", "documents"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, row } = await ownDossier(request, params.id);
  if (row.status !== "draft") throw redirect(`/dossiers/${row.id}`);
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  const fields = row.procedure_form as FormFieldSpec[];
  const answers = row.form_data as Record<string, string | undefined>;
  const docs = row.procedure_documents as Document[];
  const signingEnabled = citizenSigningEnabled();
  const [files, signature] = await Promise.all([
    attachmentsOf(db, row.id),
    signingEnabled ? signatureOfDossier(db, row.id) : null,
  ]);
  return {
    signing: signingEnabled
      ? {
          signedAt: signature?.valid && signature.matchesAnswers ? signature.signedAt : null,
          justSigned: new URL(request.url).searchParams.get("signed") === "1",
        }
      : null,
    title: t("check.title"),
    id: row.id,
    procedure: lng === "en" ? row.procedure_name_en : row.procedure_name_vi,
    applicant: { fullName: user.fullName, nationalId: user.nationalId ?? "" },
    contact: contactOf(row),
    answers: fields.map((f) => {
      return { name: f.name, label: fieldLabel(f, lng), value: answerText(f, answers[f.name], lng) };
    }),
    // The fee is said before filing: how much, and how it is paid (docs/domain.md#payments).
    feeVnd: row.fee_vnd,
    documents: docs.map((d, i) => ({
      name: lng === "en" ? d.nameEn : d.nameVi,
      files: files.filter((f) => f.document_index === i).map((f) => f.file_name),
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, row } = await ownDossier(request, params.id);
  await readForm(request);
  try {
    await submitDossier(db, user.id, row.id, new Date());
  } catch (error) {
    if (error instanceof IncompleteDossierError) return redirect(`/dossiers/${row.id}/edit?validate=1`);
    throw error;
  }
  return redirect(`/dossiers/${row.id}?submitted=1`);
}

export default function CheckAnswers() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dossier");
  return (
    <>
      <span className="caption">{data.procedure}</span>
      <h1>{t("check.title")}</h1>
      <h2>{t("form.applicantTitle")}</h2>
      <dl className="summary-list">
        <div>
          <dt>{t("form.applicantName")}</dt>
          <dd>{data.applicant.fullName}</dd>
        </div>
        <div>
          <dt>{t("form.applicantId")}</dt>
          <dd>{data.applicant.nationalId}</dd>
        </div>
      </dl>
      <h2>{t("contact.title")}</h2>
      <ContactSummary contact={data.contact} />
      <h2>{t("form.detailsTitle")}</h2>
      <dl className="summary-list">
        {data.answers.map((a) => (
          <div key={a.name}>
            <dt>{a.label}</dt>
            <dd>{a.value || "—"}</dd>
          </div>
        ))}
      </dl>
      <p>
        <Link to={`/dossiers/${data.id}/edit`}>{t("check.change")}</Link>
      </p>
      <h2>{t("form.documentsTitle")}</h2>
      <dl className="summary-list">
        {data.documents.map((d) => (
          <div key={d.name}>
            <dt>{d.name}</dt>
            <dd>{d.files.length > 0 ? d.files.join(", ") : t("check.noFile")}</dd>
          </div>
        ))}
      </dl>
      <h2>{t("check.feeTitle")}</h2>
      {data.feeVnd > 0 ? (
        <dl className="summary-list">
          <div>
            <dt>{t("check.feeAmount")}</dt>
            <dd>{formatVnd(data.feeVnd, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t("check.feeHow")}</dt>
            <dd>{t("check.feeHowText")}</dd>
          </div>
        </dl>
      ) : (
        <p>{t("check.noFee")}</p>
      )}
      {data.signing ? <SigningSection id={data.id} {...data.signing} /> : null}
      <h2>{t("check.declarationTitle")}</h2>
      <p>{t("check.declaration")}</p>
      <Form method="post">
        <CsrfInput />
        <button type="submit" className="button">
          {t("check.submit")}
        </button>
      </Form>
    </>
  );
}

/** "Ký số hồ sơ" (ADR 018): optional; the button has the one-time code sent and leads to the code page. */
function SigningSection({ id, signedAt, justSigned }: { id: string; signedAt: string | null; justSigned: boolean }) {
  const { t, i18n } = useTranslation("documents");
  return (
    <section aria-labelledby="signing-title" data-testid="signing">
      <h2 id="signing-title">{t("signing.title")}</h2>
      {signedAt ? (
        <div className="panel-valid">
          {justSigned ? <p role="status">{t("signing.signed")}</p> : null}
          <p>{t("signing.signedNotice", { at: formatDateTime(signedAt, i18n.language) })}</p>
          <p>
            <a href={`/dossiers/${id}/declaration.pdf`}>{t("signing.download")}</a>
          </p>
        </div>
      ) : (
        <p>{t("signing.intro")}</p>
      )}
      <Form method="post" action={`/dossiers/${id}/sign`}>
        <CsrfInput />
        <input type="hidden" name="intent" value="start" />
        <button type="submit" className="button button--secondary">
          {signedAt ? t("signing.signAgain") : t("signing.start")}
        </button>
      </Form>
    </section>
  );
}
