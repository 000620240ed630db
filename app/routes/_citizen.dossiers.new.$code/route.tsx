import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DossierForm } from "../../components/dossier-form.tsx";
import { requireRole } from "../../server/auth.server.ts";
import { procedureByCode } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { knownContact } from "../../server/dossiers/dossier-service.server.ts";
import { draftPageData } from "../../server/dossiers/draft-page.server.ts";
import { handleDraftPost } from "../../server/dossiers/draft-post.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";

export const handle = { i18n: ["dossier", "validation"] };

async function onlineProcedure(code: string | undefined) {
  const p = code && code.length <= 32 ? await procedureByCode(db, code) : undefined;
  if (!p || p.online_kind === "none") throw new Response("Not Found", { status: 404 });
  return p;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["citizen"]);
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  const procedure = await onlineProcedure(params.code);
  return {
    title: t("form.title"),
    applicant: { fullName: user.fullName, nationalId: user.nationalId ?? "" },
    ...(await draftPageData(procedure, lng, undefined, await knownContact(db, user.id))),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ["citizen"]);
  const procedure = await onlineProcedure(params.code);
  return handleDraftPost(request, user, { procedureCode: procedure.code });
}

export default function NewDossier() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("dossier");
  return (
    <>
      <p>
        <Link to={`/procedures/${encodeURIComponent(data.procedure.code)}`}>{t("form.back")}</Link>
      </p>
      <span className="caption">{data.procedure.name}</span>
      <h1>{t("form.title")}</h1>
      <DossierForm {...data} />
    </>
  );
}
