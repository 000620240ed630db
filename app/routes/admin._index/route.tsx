import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { staffAccounts, usersByRole } from "../../server/users/user-queries.server.ts";

export const handle = { i18n: ["auth", "imports", "units"] };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:users:any");
  const t = await getT(request, "auth");
  const [counts, staff] = await Promise.all([usersByRole(db), staffAccounts(db)]);
  return { title: t("admin.title"), counts, staff };
}

export default function AdminHome() {
  const { counts, staff } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("auth");
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <p>
        <Link to="/admin/calendar">{t("admin.calendarLink")}</Link>
      </p>
      <p>
        <Link to="/admin/imports">{t("imports:adminLink")}</Link>
      </p>
      <p>
        <Link to="/admin/reorganisations">{t("units:adminLink")}</Link>
      </p>
      <h2>{t("admin.countsTitle")}</h2>
      <ul className="stat-list">
        {counts.map((c) => (
          <li key={c.role}>
            <strong>{c.count}</strong> {t(`common:roles.${c.role}`)}
          </li>
        ))}
      </ul>
      <h2>{t("admin.staffTitle")}</h2>
      <table className="table">
        <caption className="visually-hidden">{t("admin.staffTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("admin.username")}</th>
            <th scope="col">{t("admin.fullName")}</th>
            <th scope="col">{t("admin.role")}</th>
            <th scope="col">{t("admin.agency")}</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.username}>
              <td>{s.username}</td>
              <td>{s.full_name}</td>
              <td>{t(`common:roles.${s.role}`)}</td>
              <td>{(i18n.language === "en" ? s.name_en : s.name_vi) ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
