import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { formatVnd } from "../../utils/format.ts";

export const handle = { i18n: ["dossier"] };

/**
 * Where the gateway sends the browser back. Display only: the outcome shown is what the signed IPN
 * recorded. While the IPN has not arrived the page refreshes itself every 2 seconds (no JavaScript).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["citizen"]);
  const t = await getT(request, "dossier");
  const ref = new URL(request.url).searchParams.get("vnp_TxnRef") ?? "";
  const payment = /^[A-Z0-9]{4,40}$/.test(ref)
    ? await db
        .selectFrom("payments as p")
        .innerJoin("dossiers as d", "d.id", "p.dossier_id")
        .select(["p.id", "p.status", "p.amount_vnd", "p.receipt_no", "d.id as dossier_id", "d.code", "d.applicant_id"])
        .where("p.order_ref", "=", ref)
        .executeTakeFirst()
    : undefined;
  if (!payment || payment.applicant_id !== user.id) throw new Response("Not Found", { status: 404 });
  return {
    title: t("payment.returnTitle"),
    payment: {
      id: payment.id,
      status: payment.status,
      amount: payment.amount_vnd,
      receiptNo: payment.receipt_no,
      dossierId: payment.dossier_id,
      code: payment.code,
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data?.payment.status === "pending" ? [{ httpEquiv: "refresh", content: "2" }] : [];

export default function PaymentReturn() {
  const { payment: p } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dossier");
  return (
    <div className="narrow">
      <h1>{t("payment.returnTitle")}</h1>
      <p
        role="status"
        className={p.status === "paid" ? "panel-valid" : p.status === "failed" ? "panel-invalid" : "notice"}
      >
        {t(`payment.outcome.${p.status}`, { amount: formatVnd(p.amount, i18n.language), code: p.code })}
      </p>
      {p.status === "paid" ? (
        <p>
          <Link to={`/payments/${p.id}/receipt`}>{t("payment.viewReceipt")}</Link>
        </p>
      ) : null}
      <p>
        <Link to={`/dossiers/${p.dossierId}`}>{t("payment.backToDossier")}</Link>
      </p>
    </div>
  );
}
