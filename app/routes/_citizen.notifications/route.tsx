import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { citizenNotifications } from "../../server/users/user-queries.server.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["dossier"] };

/** The citizen's notifications: the same ones the job queue delivers by e-mail or to the outbox. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["citizen"]);
  const t = await getT(request, "dossier");
  return { title: t("notification.title"), items: await citizenNotifications(db, user.id) };
}

export default function Notifications() {
  const { items } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dossier");
  return (
    <>
      <h1>{t("notification.title")}</h1>
      {items.length === 0 ? <p>{t("notification.empty")}</p> : null}
      <ul className="result-list">
        {items.map((n) => (
          <li key={n.id}>
            <time dateTime={n.at}>{formatDateTime(n.at, i18n.language)}</time> —{" "}
            {n.dossierId ? (
              <Link to={`/dossiers/${n.dossierId}`}>
                {t("notification.line", { code: n.code, status: t(`status.${n.status}`) })}
              </Link>
            ) : (
              t("notification.line", { code: n.code, status: t(`status.${n.status}`) })
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
