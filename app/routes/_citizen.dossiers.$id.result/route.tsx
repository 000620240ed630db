import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import QRCode from "qrcode";
import { useTranslation } from "react-i18next";
import { db } from "../../server/db.server.ts";
import { ownDossier } from "../../server/dossiers/citizen-access.server.ts";
import { publicUrl } from "../../server/env.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { resultOfDossier } from "../../server/results/result-queries.server.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["dossier", "documents"] };

/** The result document, printable (HTML to print), with its verification code and QR code. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { row } = await ownDossier(request, params.id);
  const result = await resultOfDossier(db, row.id);
  if (!result) throw new Response("Not Found", { status: 404 });
  const t = await getT(request, "dossier");
  const lng = await getLanguage(request);
  // Built from PUBLIC_URL, never from the request's Host header (which the client controls).
  const verifyUrl = `${publicUrl()}/verify?code=${result.verificationCode}`;
  return {
    title: t("result.title", { code: row.code }),
    dossierId: row.id,
    applicant: row.applicant_name,
    result: result.payload,
    format: result.format,
    lines: [...(result.payload.rows ?? []), ...(result.payload.decisionRows ?? [])].map((r) => ({
      label: lng === "en" ? r.labelEn : r.labelVi,
      value: r.value,
    })),
    verificationCode: result.verificationCode,
    verifyUrl,
    qrSvg: await QRCode.toString(verifyUrl, { type: "svg", margin: 1 }),
  };
}

export default function ResultDocument() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dossier");
  return (
    <>
      <p className="no-print">
        <Link to="/dossiers">{t("page.back")}</Link>
      </p>
      <article className="receipt" aria-labelledby="result-title">
        <p className="caption">{d.result.agencyName}</p>
        <h1 id="result-title">{d.result.resultName}</h1>
        {d.format === "pades-pdf" ? (
          <p>
            <a href={`/dossiers/${d.dossierId}/result.pdf`} className="button" download>
              {t("documents:result.download")}
            </a>
          </p>
        ) : null}
        <div className="receipt__grid">
          <dl className="summary-list">
            {d.lines.map((l) => (
              <div key={`${l.label}-${l.value}`}>
                <dt>{l.label}</dt>
                <dd>{l.value}</dd>
              </div>
            ))}
            <div>
              <dt>{t("form.applicantName")}</dt>
              <dd>{d.applicant}</dd>
            </div>
            <div>
              <dt>{t("receipt.procedure")}</dt>
              <dd>{d.result.procedureName}</dd>
            </div>
            <div>
              <dt>{t("receipt.code")}</dt>
              <dd>{d.result.dossierCode}</dd>
            </div>
            <div>
              <dt>{t("verify.issuedAt")}</dt>
              <dd>{formatDateTime(d.result.issuedAt, i18n.language)}</dd>
            </div>
            <div>
              <dt>{t("result.verificationCode")}</dt>
              <dd>
                <strong className="verification-code">{d.verificationCode}</strong>
              </dd>
            </div>
          </dl>
          <figure className="qr">
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: SVG generated on the server by the qrcode library from our own URL */}
            <div role="img" aria-label={t("result.qrLabel")} dangerouslySetInnerHTML={{ __html: d.qrSvg }} />
            <figcaption className="hint">{t("result.qrCaption")}</figcaption>
          </figure>
        </div>
        <p className="hint">
          {d.format === "pades-pdf" ? t("documents:result.pdfNote") : t("documents:result.legacyNote")}
        </p>
        <p>
          <a href={d.verifyUrl}>{t("result.verifyLink")}</a>
        </p>
      </article>
      <p className="hint no-print">{t("receipt.printHintResult")}</p>
    </>
  );
}
