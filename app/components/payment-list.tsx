import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatVnd } from "../utils/format.ts";

export type PaymentView = {
  id: string;
  method: string;
  status: string;
  amount: number;
  receiptNo: string | null;
  /** The refund receipt (HT-…) of a payment given back. */
  refundReceiptNo?: string | null;
};

/** A dossier's payments with links to their electronic receipts (citizen and clerk pages). */
export function PaymentList({ payments }: { payments: PaymentView[] }) {
  const { t, i18n } = useTranslation("dossier");
  if (payments.length === 0) return null;
  return (
    <>
      <h2>{t("payment.listTitle")}</h2>
      <ul>
        {payments.map((p) => (
          <li key={p.id}>
            {t(`payment.methods.${p.method}`)} — {formatVnd(p.amount, i18n.language)} —{" "}
            {t(`payment.status.${p.status}`)}
            {p.receiptNo ? (
              <>
                {" "}
                — <Link to={`/payments/${p.id}/receipt`}>{t("payment.receiptLink", { number: p.receiptNo })}</Link>
              </>
            ) : null}
            {p.refundReceiptNo ? <> — {t("payment.receiptLink", { number: p.refundReceiptNo })}</> : null}
          </li>
        ))}
      </ul>
    </>
  );
}
