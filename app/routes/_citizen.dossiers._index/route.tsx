import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { dossiersOfApplicant } from "../../server/dossiers/dossier-queries.server.ts";
import { dossierClock, expectedDueAt } from "../../server/dossiers/dossier-view.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["dossier"] };

const NEXT_ACTION: Record<string, string> = {
  draft: "finishDraft",
  submitted: "waitReception",
  received: "waitProcessing",
  processing: "waitProcessing",
  supplement_requested: "sendSupplement",
  payment_requested: "payFee",
  resolved: "collectResult",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["citizen"]);
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  const rows = await dossiersOfApplicant(db, user.id);
  const now = new Date();
  const items = await Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      code: r.code,
      status: r.status,
      procedure: lng === "en" ? r.name_en : r.name_vi,
      dueAt: r.due_at?.toISOString() ?? null,
      expectedDueAt: await expectedDueAt(r, now),
      createdAt: r.created_at.toISOString(),
      next: NEXT_ACTION[r.status] ?? "none",
      clock: await dossierClock(r, now),
    })),
  );
  return { title: t("list.title"), items };
}

export default function MyDossiers() {
  const { items } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dossier");
  return (
    <>
      <h1>{t("list.title")}</h1>
      <p>
        <Link to="/procedures?online=full">{t("list.newLink")}</Link>
      </p>
      {items.length === 0 ? (
        <p>{t("list.empty")}</p>
      ) : (
        <table className="table table--cards">
          <caption className="visually-hidden">{t("list.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("list.code")}</th>
              <th scope="col">{t("list.procedure")}</th>
              <th scope="col">{t("list.status")}</th>
              <th scope="col">{t("list.due")}</th>
              <th scope="col">{t("list.next")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td data-label={t("list.code")}>
                  <Link to={d.status === "draft" ? `/dossiers/${d.id}/edit` : `/dossiers/${d.id}`}>
                    {d.code ?? t("list.draftCode")}
                  </Link>
                </td>
                <td data-label={t("list.procedure")}>{d.procedure}</td>
                <td data-label={t("list.status")}>
                  <span className={`tag tag--status-${d.status}`}>{t(`status.${d.status}`)}</span>
                </td>
                <td data-label={t("list.due")}>
                  {d.dueAt ? (
                    formatDateTime(d.dueAt, i18n.language)
                  ) : d.expectedDueAt ? (
                    <>
                      {t(d.status === "draft" ? "list.dueIfFiledToday" : "list.dueExpected", {
                        date: formatDateTime(d.expectedDueAt, i18n.language),
                      })}
                      <div className="hint">{t("list.dueOfficialAtReception")}</div>
                    </>
                  ) : (
                    "—"
                  )}
                  {d.clock?.day ? (
                    <div className="hint">
                      {t("receipt.clockValue", { day: d.clock.day, of: d.clock.of })}
                      {d.clock.pausedDays > 0 ? `; ${t("receipt.paused", { count: d.clock.pausedDays })}` : ""}
                      {d.clock.waiting ? ` — ${t("receipt.waiting")}` : ""}
                    </div>
                  ) : null}
                </td>
                <td data-label={t("list.next")}>{t(`next.${d.next}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
