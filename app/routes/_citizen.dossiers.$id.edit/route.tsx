import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DossierForm } from "../../components/dossier-form.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { ownDossier } from "../../server/dossiers/citizen-access.server.ts";
import { contactOf } from "../../server/dossiers/dossier-service.server.ts";
import { draftPageData } from "../../server/dossiers/draft-page.server.ts";
import { handleDraftPost, problemsFromUrl } from "../../server/dossiers/draft-post.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { CONTACT_FIELDS } from "../../utils/contact.ts";

export const handle = { i18n: ["dossier", "validation"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, row } = await ownDossier(request, params.id);
  if (row.status !== "draft") throw redirect(`/dossiers/${row.id}`);
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  const url = new URL(request.url);
  const page = await draftPageData(
    {
      code: row.procedure_code,
      name_vi: row.procedure_name_vi,
      name_en: row.procedure_name_en,
      form: row.procedure_form,
      documents: row.procedure_documents,
    },
    lng,
    { id: row.id, form_data: row.form_data, validate: url.searchParams.get("validate") === "1" },
    contactOf(row),
  );
  return {
    title: t("form.title"),
    saved: url.searchParams.get("saved") === "1",
    applicant: { fullName: user.fullName, nationalId: user.nationalId ?? "" },
    ...page,
    errors: { ...page.errors, ...problemsFromUrl(url) },
    formFailed: Object.keys(page.errors).length > 0 || url.searchParams.has("e"),
    labels: Object.fromEntries([
      ...page.fields.map((f) => [f.name, lng === "en" ? f.labelEn : f.labelVi]),
      ...page.documents.map((d, i) => [`document-${i}`, d.name]),
      [CONTACT_FIELDS.phone, t("contact.phone")],
      [CONTACT_FIELDS.address, t("contact.address")],
      [CONTACT_FIELDS.delivery, t("contact.delivery")],
      [CONTACT_FIELDS.postal, t("contact.postal")],
    ]),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, row } = await ownDossier(request, params.id);
  if (row.status !== "draft") throw redirect(`/dossiers/${row.id}`);
  return handleDraftPost(request, user, { dossierId: row.id, procedureCode: row.procedure_code });
}

export default function EditDraft() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("dossier");
  return (
    <>
      <ErrorSummary errors={data.errors} labels={data.labels} />
      {data.saved ? (
        <div className="notice notice--success" role="status">
          {t("form.saved")}
        </div>
      ) : null}
      <span className="caption">{data.procedure.name}</span>
      <h1>{t("form.title")}</h1>
      <DossierForm {...data} />
    </>
  );
}
