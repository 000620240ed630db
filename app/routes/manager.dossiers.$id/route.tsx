import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StepSharesTable } from "../../components/control-sheet.tsx";
import { getCalendar } from "../../server/calendar/calendar-service.server.ts";
import { db } from "../../server/db.server.ts";
import { dossierSteps, overHours, stepShareView } from "../../server/dossiers/control-sheet.server.ts";
import { apologyOf, eventsOf } from "../../server/dossiers/dossier-queries.server.ts";
import { managerDossier } from "../../server/dossiers/staff-access.server.ts";
import { recordStaffView } from "../../server/dossiers/workflow-service.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { agencyNames } from "../../server/stats/drilldown.server.ts";
import { requireManager } from "../../server/stats/manager-dashboard.server.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["stats", "dossier", "auth"] };

/**
 * One dossier's processing control sheet (form 05) for a manager: each step's share of the time, which unit
 * had it, and whether it went over. Only for dossiers of the manager's subtree (anything else is "not found",
 * so a manager cannot probe other units' dossiers); no applicant data is shown. The visit is recorded like a
 * clerk's, so the citizen sees who looked at the dossier.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireManager(request);
  const row = await managerDossier(db, user, params.id);
  await recordStaffView(db, row.id, { id: user.id, role: user.role, agencyCode: user.agencyCode }, "open");
  const [lng, t] = await Promise.all([getLanguage(request), getT(request, "stats")]);
  const [events, calendar, names, apology] = await Promise.all([
    eventsOf(db, row.id),
    getCalendar(db),
    agencyNames(db, lng),
    apologyOf(db, row.id),
  ]);
  const now = new Date();
  const steps = dossierSteps(row, events, calendar, row.ended_at ?? now).map((r) => ({
    ...stepShareView(r, names),
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    overHours: overHours(r),
  }));
  const search = new URL(request.url).searchParams;
  const back = search.has("metric") ? `/manager/dossiers?${search.toString()}` : "/manager";
  return {
    title: t("sheet.title", { code: row.code ?? "" }),
    back,
    dossier: {
      code: row.code ?? "",
      procedure: `${row.procedure_code} — ${lng === "en" ? row.procedure_name_en : row.procedure_name_vi}`,
      unit: lng === "en" ? row.agency_name_en : row.agency_name_vi,
      channel: row.channel,
      status: row.status,
      receivedAt: row.received_at?.toISOString() ?? null,
      originalDueAt: row.original_due_at?.toISOString() ?? null,
      dueAt: row.due_at?.toISOString() ?? null,
      newAppointment: apology?.new_due_at.toISOString() ?? null,
      endedAt: row.ended_at?.toISOString() ?? null,
      outcome: row.outcome,
      supplements: row.supplements_after_receipt,
    },
    steps,
    timeline: events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      action: e.action,
      unit: e.agency_code ? names(e.agency_code) : null,
    })),
  };
}

export default function ProcessingSheet() {
  const { back, dossier: d, steps, timeline } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("stats");
  const lng = i18n.language;
  const when = (v: string | null) => (v ? formatDateTime(v, lng) : "—");
  const late = steps.filter((s) => s.verdict === "late");
  return (
    <>
      <p>
        <Link to={back}>{back === "/manager" ? t("drill.back") : t("sheet.back")}</Link>
      </p>
      <h1>{t("sheet.title", { code: d.code })}</h1>
      <dl className="summary-list">
        <div>
          <dt>{t("drill.procedure")}</dt>
          <dd>{d.procedure}</dd>
        </div>
        <div>
          <dt>{t("drill.unit")}</dt>
          <dd>{d.unit}</dd>
        </div>
        <div>
          <dt>{t("drill.channel")}</dt>
          <dd>{t(`dossier:channel.${d.channel}`)}</dd>
        </div>
        <div>
          <dt>{t("sheet.status")}</dt>
          <dd>{t(`dossier:status.${d.status}`)}</dd>
        </div>
        <div>
          <dt>{t("drill.received")}</dt>
          <dd>{when(d.receivedAt)}</dd>
        </div>
        <div>
          <dt>{t("sheet.originalDue")}</dt>
          <dd>{when(d.originalDueAt)}</dd>
        </div>
        {d.dueAt !== d.originalDueAt ? (
          <div>
            <dt>{t("sheet.due")}</dt>
            <dd>{when(d.dueAt)}</dd>
          </div>
        ) : null}
        {d.newAppointment ? (
          <div>
            <dt>{t("sheet.newAppointment")}</dt>
            <dd>{when(d.newAppointment)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("drill.ended")}</dt>
          <dd>{when(d.endedAt)}</dd>
        </div>
        <div>
          <dt>{t("drill.outcome")}</dt>
          <dd>{d.outcome ? t(`dossier:outcome.${d.outcome}`) : "—"}</dd>
        </div>
        <div>
          <dt>{t("sheet.supplements")}</dt>
          <dd>{d.supplements}</dd>
        </div>
      </dl>
      <h2>{t("sheet.stepsTitle")}</h2>
      {late.length > 0 ? (
        <p className="notice">
          {late
            .map((s) =>
              t("sheet.lateSummary", {
                step: t(`dossier:steps.names.${s.step}`),
                unit: s.unit,
                over: s.overHours,
              }),
            )
            .join(" ")}
        </p>
      ) : null}
      {steps.length === 0 ? <p>{t("sheet.noSteps")}</p> : <StepSharesTable variant="sheet" steps={steps} when={when} />}
      <h2>{t("sheet.timelineTitle")}</h2>
      <ol className="timeline">
        {timeline.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{when(e.at)}</time> — {t(`dossier:event.${e.action}`)}
            {e.unit ? ` (${e.unit})` : null}
          </li>
        ))}
      </ol>
    </>
  );
}
