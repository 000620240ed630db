import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { receiptFor } from "../../server/payments/receipt.server.ts";
import { formatDateTime, formatVnd } from "../../utils/format.ts";

export const handle = { i18n: ["dossier"], hydrate: false };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const r = await receiptFor(request, params.id);
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  return {
    title: t("payment.receiptTitle", { number: r.receipt_no }),
    r: {
      number: r.receipt_no ?? "",
      amount: r.amount_vnd,
      method: r.method,
      paidAt: r.paid_at?.toISOString() ?? null,
      payer: r.payer_name,
      transactionNo: r.transaction_no,
      code: r.code,
      dossierId: r.dossier_id,
      agency: lng === "en" ? r.agency_en : r.agency_vi,
      procedure: lng === "en" ? r.procedure_en : r.procedure_vi,
      forStaff: r.forStaff,
    },
  };
}

export default function Receipt() {
  const { r } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dossier");
  return (
    <>
      <article className="receipt" aria-labelledby="receipt-h1">
        <p className="caption">{r.agency}</p>
        <h1 id="receipt-h1">{t("payment.receiptTitle", { number: r.number })}</h1>
        <dl className="summary-list">
          <div>
            <dt>{t("payment.payer")}</dt>
            <dd>{r.payer}</dd>
          </div>
          <div>
            <dt>{t("payment.amount")}</dt>
            <dd>{formatVnd(r.amount, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t("payment.method")}</dt>
            <dd>{t(`payment.methods.${r.method}`)}</dd>
          </div>
          <div>
            <dt>{t("payment.paidAt")}</dt>
            <dd>{r.paidAt ? formatDateTime(r.paidAt, i18n.language) : "—"}</dd>
          </div>
          <div>
            <dt>{t("receipt.code")}</dt>
            <dd>{r.code}</dd>
          </div>
          <div>
            <dt>{t("receipt.procedure")}</dt>
            <dd>{r.procedure}</dd>
          </div>
          {r.transactionNo ? (
            <div>
              <dt>{t("payment.transactionNo")}</dt>
              <dd>{r.transactionNo}</dd>
            </div>
          ) : null}
        </dl>
      </article>
      <p className="hint no-print">{t("receipt.printHintPayment")}</p>
      <p className="no-print">
        <Link to={r.forStaff ? `/clerk/dossiers/${r.dossierId}` : `/dossiers/${r.dossierId}`}>
          {t("payment.backToDossier")}
        </Link>
      </p>
    </>
  );
}
