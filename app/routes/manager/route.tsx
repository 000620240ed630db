import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../../server/auth.server.ts";
import { agencySubtree } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { localName } from "../../utils/format.ts";

export const handle = { i18n: ["auth"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:stats:agency");
  if (user.role !== "manager" || !user.agencyCode) throw new Response("Forbidden", { status: 403 });
  const t = await getT(request, "auth");
  const units = await agencySubtree(db, user.agencyCode);
  return { title: t("manager.title"), units: units.map((u) => ({ ...u, procedures: Number(u.procedures) })) };
}

export default function ManagerHome() {
  const { units } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("auth");
  const root = units[0];
  return (
    <>
      <h1>{t("manager.title")}</h1>
      {root ? (
        <p className="lead">{t("manager.scope", { agency: localName(root, i18n.language), count: units.length })}</p>
      ) : null}
      <table className="table">
        <caption>{t("manager.unitsTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("manager.unit")}</th>
            <th scope="col">{t("manager.code")}</th>
            <th scope="col">{t("manager.level")}</th>
            <th scope="col" className="num">
              {t("manager.procedures")}
            </th>
          </tr>
        </thead>
        <tbody>
          {units.map((u) => (
            <tr key={u.code}>
              <td style={{ paddingLeft: `${0.5 + Number(u.depth) * 1.25}rem` }}>{localName(u, i18n.language)}</td>
              <td>{u.code}</td>
              <td>{t(`manager.levels.${u.level}`)}</td>
              <td className="num">{u.procedures}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
