import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { recentSignIns } from "../../server/users/user-queries.server.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["auth"], hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["citizen"]);
  const t = await getT(request, "auth");
  const activity = await recentSignIns(db, user.id);
  const welcome = new URL(request.url).searchParams.get("welcome") === "1";
  return {
    title: t("account.title"),
    welcome,
    profile: { fullName: user.fullName, nationalId: user.nationalId ?? "", email: user.email },
    activity: activity.map((a) => ({ at: a.at.toISOString(), action: a.action })),
  };
}

export default function Account() {
  const { profile, activity, welcome } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("auth");
  return (
    <>
      {welcome ? (
        <div className="notice notice--success" role="status">
          {t("account.welcome")}
        </div>
      ) : null}
      <h1>{t("account.title")}</h1>
      <dl className="summary-list">
        <div>
          <dt>{t("account.fullName")}</dt>
          <dd>{profile.fullName}</dd>
        </div>
        <div>
          <dt>{t("account.nationalId")}</dt>
          <dd>{profile.nationalId}</dd>
        </div>
        <div>
          <dt>{t("account.email")}</dt>
          <dd>{profile.email ?? t("account.none")}</dd>
        </div>
      </dl>
      <h2>{t("account.activityTitle")}</h2>
      <table className="table">
        <caption className="visually-hidden">{t("account.activityTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("account.activityTime")}</th>
            <th scope="col">{t("account.activityAction")}</th>
          </tr>
        </thead>
        <tbody>
          {activity.map((a) => (
            <tr key={`${a.at}-${a.action}`}>
              <td>{formatDateTime(a.at, i18n.language)}</td>
              <td>{t(`account.activity.${a.action}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
