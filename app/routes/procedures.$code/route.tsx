import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getCalendar } from "../../server/calendar/calendar-service.server.ts";
import { cachedCatalogue } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { getLanguage } from "../../server/i18n.server.ts";
import { formatDateTime, formatVnd } from "../../utils/format.ts";

export const handle = { i18n: ["catalogue"], hydrate: false };

type Doc = { nameVi: string; nameEn: string; required: boolean };
type Guide = {
  stepsVi: string[];
  stepsEn: string[];
  conditionsVi: string[];
  conditionsEn: string[];
  sourceVi: string;
  sourceEn: string;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  const lng = await getLanguage(request);
  const p = code.length <= 32 ? await cachedCatalogue.procedureByCode(db, code) : undefined;
  if (!p) throw new Response("Not Found", { status: 404 });
  const calendar = await getCalendar(db);
  const { due } = calendar.dueDate(new Date(), p.processing_amount, p.processing_unit as "working_days");
  const en = lng === "en";
  return {
    title: en ? p.name_en : p.name_vi,
    description: `${en ? p.name_en : p.name_vi} — ${en ? p.agency_name_en : p.agency_name_vi}`,
    procedure: {
      code: p.code,
      name: en ? p.name_en : p.name_vi,
      agencyCode: p.agency_code,
      agency: en ? p.agency_name_en : p.agency_name_vi,
      field: en ? p.field_name_en : p.field_name_vi,
      level: p.level,
      amount: p.processing_amount,
      unit: p.processing_unit,
      feeVnd: p.fee_vnd,
      feePayer: en ? p.fee_payer_en : p.fee_payer_vi,
      onlineKind: p.online_kind,
      legalBasis: en ? p.legal_basis_en : p.legal_basis_vi,
      result: en ? p.result_en : p.result_vi,
      documents: (p.documents as Doc[]).map((d) => ({ name: en ? d.nameEn : d.nameVi, required: d.required })),
      guide: guideIn(p.guide as Guide | null, en),
    },
    dueIfSubmittedNow: due.toISOString(),
  };
}

/** The steps and conditions in the reader's language, or null when the catalogue does not have them. */
function guideIn(g: Guide | null, en: boolean) {
  if (!g || !Array.isArray(g.stepsVi)) return null;
  return {
    steps: (en ? g.stepsEn : g.stepsVi) ?? [],
    conditions: (en ? g.conditionsEn : g.conditionsVi) ?? [],
    source: (en ? g.sourceEn : g.sourceVi) ?? "",
  };
}

export default function ProcedureDetail() {
  const { procedure: p, dueIfSubmittedNow } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("catalogue");
  return (
    <>
      <p>
        <Link to="/procedures">{t("detail.back")}</Link>
      </p>
      <span className="caption">{p.field}</span>
      <h1>{p.name}</h1>
      <dl className="summary-list">
        <div>
          <dt>{t("detail.code")}</dt>
          <dd>{p.code}</dd>
        </div>
        <div>
          <dt>{t("detail.agency")}</dt>
          <dd>{p.agency}</dd>
        </div>
        <div>
          <dt>{t("detail.level")}</dt>
          <dd>{t(`level.${p.level}`)}</dd>
        </div>
        <div>
          <dt>{t("detail.time")}</dt>
          <dd>{t(`unit.${p.unit}`, { count: p.amount })}</dd>
        </div>
        <div>
          <dt>{t("detail.due")}</dt>
          <dd>{formatDateTime(dueIfSubmittedNow, i18n.language)}</dd>
        </div>
        <div>
          <dt>{t("detail.fee")}</dt>
          <dd>
            {p.feeVnd > 0
              ? t("detail.feeWithPayer", { fee: formatVnd(p.feeVnd, i18n.language), payer: p.feePayer })
              : t("detail.free")}
          </dd>
        </div>
        <div>
          <dt>{t("detail.result")}</dt>
          <dd>{p.result}</dd>
        </div>
        <div>
          <dt>{t("detail.legalBasis")}</dt>
          <dd>{p.legalBasis}</dd>
        </div>
      </dl>
      <h2>{t("detail.onlineTitle")}</h2>
      <p>
        <span className={`tag tag--${p.onlineKind}`}>{t(`onlineKind.${p.onlineKind}.label`)}</span>{" "}
        {t(`onlineKind.${p.onlineKind}.explain`)}
      </p>
      {p.onlineKind !== "none" ? (
        <>
          <Link to={`/dossiers/new/${encodeURIComponent(p.code)}`} className="button button--start" role="button">
            {t("detail.apply")}
          </Link>
          <p className="hint">{t("detail.applyHint")}</p>
        </>
      ) : null}
      {p.guide ? (
        <>
          <h2>{t("guide.stepsTitle")}</h2>
          <ol className="steps-list">
            {p.guide.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
          {p.guide.conditions.length > 0 ? (
            <>
              <h2>{t("guide.conditionsTitle")}</h2>
              <ul>
                {p.guide.conditions.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="hint">{t("guide.source", { source: p.guide.source })}</p>
        </>
      ) : (
        <>
          <h2>{t("guide.unknownTitle")}</h2>
          <p>{t("guide.unknown", { agency: p.agency })}</p>
        </>
      )}
      <h2>{t("detail.documentsTitle")}</h2>
      {p.documents.length > 0 ? (
        <ul>
          {p.documents.map((d) => (
            <li key={d.name}>
              {d.name} {d.required ? null : <span className="hint">({t("detail.optional")})</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("guide.noDocuments")}</p>
      )}
      <h2>{t("guide.formTitle")}</h2>
      <p>
        <a href={`/procedures/${encodeURIComponent(p.code)}/form.pdf`} download>
          {t("blankForm.link")}
        </a>
      </p>
      <p className="hint">{t("blankForm.linkHint")}</p>
    </>
  );
}
