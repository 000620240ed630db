import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { paymentByOrderRef, verifySignature } from "../../server/payments/payment-service.server.ts";
import { formatVnd } from "../../utils/format.ts";

export const handle = { i18n: ["dossier"], hydrate: false };

/**
 * Where the gateway sends the browser back. Display only: the outcome shown is what the signed IPN
 * recorded. It works whether or not the session cookie came back (a citizen who reached the portal by
 * another address, or whose session expired while paying): the gateway's signature on the return URL
 * proves the visitor came from that payment, so the outcome, amount and dossier code are shown; the
 * receipt and the dossier need the applicant's sign-in. While the IPN has not arrived the page refreshes
 * itself every 2 seconds (no JavaScript).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request, "dossier");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const ref = params.vnp_TxnRef ?? "";
  const found = /^[A-Z0-9]{4,40}$/.test(ref) && verifySignature(params) ? await paymentByOrderRef(db, ref) : undefined;
  if (!found) throw new Response("Not Found", { status: 404 });
  const user = await getUser(request);
  const isApplicant = user?.id === found.applicant_id;
  return {
    title: t("payment.returnTitle"),
    signedIn: Boolean(user),
    payment: {
      status: found.status,
      amount: found.amount_vnd,
      // Only the applicant sees which dossier; anyone else holding the signed link sees the outcome only.
      code: isApplicant ? found.code : null,
      // The receipt and the dossier stay behind the applicant's own sign-in.
      receiptId: isApplicant && found.receipt_no ? found.id : null,
      dossierId: isApplicant ? found.dossier_id : null,
      isApplicant,
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data?.payment.status === "pending" ? [{ httpEquiv: "refresh", content: "2" }] : [];

export default function PaymentReturn() {
  const { payment: p } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dossier");
  const tone = p.status === "paid" ? "panel-valid" : p.status === "pending" ? "notice" : "panel-invalid";
  const dossierPath = p.dossierId ? `/dossiers/${p.dossierId}` : "/dossiers";
  return (
    <div className="narrow">
      <h1>{t("payment.returnTitle")}</h1>
      <p role="status" className={tone}>
        {t(`payment.outcome.${p.status}`, {
          amount: formatVnd(p.amount, i18n.language),
          dossier: p.code ? t("payment.namedDossier", { code: p.code }) : t("payment.yourDossier"),
        })}
      </p>
      {p.receiptId ? (
        <p>
          <Link to={`/payments/${p.receiptId}/receipt`}>{t("payment.viewReceipt")}</Link>
        </p>
      ) : null}
      <p>
        {p.isApplicant ? (
          <Link to={dossierPath}>{t("payment.backToDossier")}</Link>
        ) : (
          <Link to={`/auth/login?redirectTo=${encodeURIComponent(dossierPath)}`}>{t("payment.signInToSee")}</Link>
        )}
      </p>
    </div>
  );
}
