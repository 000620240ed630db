import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { deadlineFlags } from "../../domain/dossier/dossier-clock.ts";
import { requireAgencyClerk } from "../../server/auth.server.ts";
import { getCalendar } from "../../server/calendar/calendar-service.server.ts";
import { cachedCatalogue } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { clerkQueue } from "../../server/dossiers/workflow-service.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { isServiceCentre } from "../../server/units/reorganisation.server.ts";
import { formatDateTime, localName } from "../../utils/format.ts";

export const handle = { i18n: ["auth", "dossier", "units"] };

const STATUSES = ["submitted", "received", "processing", "supplement_requested", "payment_requested", "resolved"];
const CHANNELS = ["online", "counter", "postal"];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAgencyClerk(request);
  const lng = await getLanguage(request);
  const t = await getT(request, "auth");
  const url = new URL(request.url);
  const pick = (name: string, allowed: string[]) => {
    const v = url.searchParams.get(name) ?? "";
    return allowed.includes(v) ? v : "";
  };
  const [agency, procedures] = await Promise.all([
    cachedCatalogue.agencyByCode(db, user.agencyCode),
    cachedCatalogue.proceduresOfAgency(db, user.agencyCode),
  ]);
  if (!agency) throw new Response("Forbidden", { status: 403 });
  const filters = {
    status: pick("status", STATUSES),
    channel: pick("channel", CHANNELS),
    procedure: pick(
      "procedure",
      procedures.map((p) => p.code),
    ),
    q: (url.searchParams.get("q") ?? "").normalize("NFC").trim().slice(0, 100),
  };
  const rows = await clerkQueue(db, user.agencyCode, filters);
  const calendar = await getCalendar(db);
  const now = new Date();
  return {
    title: t("clerk.title"),
    agency,
    // The province's service centre chooses the new unit of a split unit's dossiers (ADR 017).
    choiceQueue: isServiceCentre(user.agencyCode),
    filters,
    statuses: STATUSES,
    channels: CHANNELS,
    procedures: procedures.map((p) => ({ code: p.code, name: localName(p, lng) })),
    items: rows.map((r) => {
      const { overdue, atRisk } = deadlineFlags(r.due_at, now, calendar);
      return {
        id: r.id,
        code: r.code,
        status: r.status,
        channel: r.channel,
        applicant: r.applicant_name,
        claimedBy: r.claimed_by_name,
        procedure: lng === "en" ? r.name_en : r.name_vi,
        dueAt: r.due_at?.toISOString() ?? null,
        submittedAt: r.submitted_at?.toISOString() ?? null,
        overdue,
        atRisk,
      };
    }),
  };
}

export default function ClerkQueue() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("auth");
  const lng = i18n.language;
  return (
    <>
      <h1>{t("clerk.title")}</h1>
      <p className="lead">{t("clerk.agency", { agency: localName(data.agency, lng) })}</p>
      <p>
        <Link to="/clerk/intake" className="button button--secondary">
          {t("dossier:intake.link")}
        </Link>
      </p>
      {data.choiceQueue ? (
        <p>
          <Link to="/clerk/reorganisation">{t("units:choices.navLink")}</Link>
        </p>
      ) : null}
      <Form method="get" className="filters" aria-label={t("clerk.filtersLabel")}>
        <div className="form-group">
          <label className="label" htmlFor="q">
            {t("clerk.search")}
          </label>
          <div className="hint" id="q-hint">
            {t("clerk.searchHint")}
          </div>
          <input
            id="q"
            name="q"
            type="search"
            className="input"
            defaultValue={data.filters.q}
            maxLength={100}
            aria-describedby="q-hint"
          />
        </div>
        <div className="filters__grid">
          <div className="form-group">
            <label className="label" htmlFor="status">
              {t("clerk.filterStatus")}
            </label>
            <select id="status" name="status" defaultValue={data.filters.status}>
              <option value="">{t("clerk.all")}</option>
              {data.statuses.map((s) => (
                <option key={s} value={s}>
                  {t(`dossier:status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="form-group">
            <label className="label" htmlFor="procedure">
              {t("clerk.filterProcedure")}
            </label>
            <select id="procedure" name="procedure" defaultValue={data.filters.procedure}>
              <option value="">{t("clerk.all")}</option>
              {data.procedures.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="form-group">
            <label className="label" htmlFor="channel">
              {t("clerk.filterChannel")}
            </label>
            <select id="channel" name="channel" defaultValue={data.filters.channel}>
              <option value="">{t("clerk.all")}</option>
              {data.channels.map((c) => (
                <option key={c} value={c}>
                  {t(`dossier:channel.${c}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" className="button">
          {t("clerk.filter")}
        </button>
      </Form>
      <table className="table table--cards">
        <caption>{t("clerk.queueTitle", { count: data.items.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("clerk.code")}</th>
            <th scope="col">{t("clerk.procedure")}</th>
            <th scope="col">{t("clerk.applicant")}</th>
            <th scope="col">{t("clerk.status")}</th>
            <th scope="col">{t("clerk.handler")}</th>
            <th scope="col">{t("clerk.due")}</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((d) => (
            <tr key={d.id}>
              <td data-label={t("clerk.code")}>
                <Link to={`/clerk/dossiers/${d.id}`}>{d.code}</Link>
              </td>
              <td data-label={t("clerk.procedure")}>{d.procedure}</td>
              <td data-label={t("clerk.applicant")}>{d.applicant}</td>
              <td data-label={t("clerk.status")}>
                <span className={`tag tag--status-${d.status}`}>{t(`dossier:status.${d.status}`)}</span>{" "}
                <span className="hint">{t(`dossier:channel.${d.channel}`)}</span>
              </td>
              <td data-label={t("clerk.handler")}>{d.claimedBy ?? "—"}</td>
              <td data-label={t("clerk.due")}>
                {d.dueAt ? formatDateTime(d.dueAt, lng) : t("clerk.notReceived")}
                {d.overdue ? <strong className="flag flag--overdue"> {t("clerk.overdue")}</strong> : null}
                {d.atRisk ? <strong className="flag flag--risk"> {t("clerk.atRisk")}</strong> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.items.length === 0 ? <p>{t("clerk.empty")}</p> : null}
    </>
  );
}
