import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../../server/auth.server.ts";
import { agencyByCode, proceduresOfAgency } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { formatVnd, localName } from "../../utils/format.ts";

export const handle = { i18n: ["auth"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "process:dossier:agency");
  if (!user.agencyCode) throw new Response("Forbidden", { status: 403 });
  const t = await getT(request, "auth");
  const [agency, procedures] = await Promise.all([
    agencyByCode(db, user.agencyCode),
    proceduresOfAgency(db, user.agencyCode),
  ]);
  if (!agency) throw new Response("Forbidden", { status: 403 });
  return { title: t("clerk.title"), agency, procedures };
}

export default function ClerkHome() {
  const { agency, procedures } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("auth");
  return (
    <>
      <h1>{t("clerk.title")}</h1>
      <p className="lead">{t("clerk.agency", { agency: localName(agency, i18n.language) })}</p>
      <h2>{t("clerk.proceduresTitle")}</h2>
      <table className="table">
        <caption className="visually-hidden">{t("clerk.proceduresTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("procedure.code")}</th>
            <th scope="col">{t("procedure.name")}</th>
            <th scope="col">{t("procedure.time")}</th>
            <th scope="col">{t("procedure.fee")}</th>
            <th scope="col">{t("procedure.online")}</th>
          </tr>
        </thead>
        <tbody>
          {procedures.map((p) => (
            <tr key={p.code}>
              <td>{p.code}</td>
              <td>{localName(p, i18n.language)}</td>
              <td>{t(`procedure.unit.${p.processing_unit}`, { count: p.processing_amount })}</td>
              <td>{p.fee_vnd > 0 ? formatVnd(p.fee_vnd, i18n.language) : t("procedure.free")}</td>
              <td>{t(`procedure.onlineKind.${p.online_kind}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
