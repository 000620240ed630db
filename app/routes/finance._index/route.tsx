import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { SelectField, TextAreaField } from "../../components/ui/field.tsx";
import { toVnDateString, vnDateTime } from "../../domain/calendar/working-calendar.ts";
import { isUuid } from "../../domain/ids/uuid.ts";
import { MAX_NOTE_LENGTH } from "../../domain/settlement/compare.ts";
import { db } from "../../server/db.server.ts";
import { failure, fieldFailure, formFailure, readForm, validateForm } from "../../server/form.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { paymentInFinanceScope, requireFinance, reviewScope } from "../../server/payments/finance-access.server.ts";
import {
  listPaymentsNeedingReview,
  PaymentReviewError,
  refundsBetween,
  resolvePaymentReview,
  takingsByMethod,
} from "../../server/payments/payment-review.server.ts";
import { listSettlementRuns } from "../../server/payments/settlement.server.ts";
import { formatDateTime, formatVnd } from "../../utils/format.ts";

export const handle = { i18n: ["finance", "validation"] };

const RESOLUTIONS = ["mark_paid", "refund", "cancel"] as const;
const REVIEW_ERRORS = new Set(["notFound", "notInReview", "alreadyHoldsMoney", "noteRequired", "notAllowed"]);
const REFUND_DAYS = 30;

const ResolveSchema = z.object({
  paymentId: z.string({ error: "finance:reviewErrors.notFound" }).refine(isUuid, "finance:reviewErrors.notFound"),
  resolution: z.enum(RESOLUTIONS, { error: "finance:errors.resolution" }),
  note: z
    .string({ error: "finance:errors.note" })
    .trim()
    .min(1, "finance:errors.note")
    .max(MAX_NOTE_LENGTH, "finance:errors.note"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireFinance(request);
  const t = await getT(request, "finance");
  const now = new Date();
  const today = toVnDateString(now);
  const scope = reviewScope(user.scope);
  const refundsFrom = vnDateTime(toVnDateString(new Date(now.getTime() - (REFUND_DAYS - 1) * 86_400_000)), 0);
  const [review, refunds, takings, runs] = await Promise.all([
    listPaymentsNeedingReview(db, scope),
    refundsBetween(db, refundsFrom, vnDateTime(today, 1440), scope),
    takingsByMethod(db, today, scope),
    listSettlementRuns(db, user.scope, 7),
  ]);
  const url = new URL(request.url);
  return data(
    {
      title: t("title"),
      today,
      resolved: url.searchParams.get("resolved") === "1",
      review: review.map((r) => ({ ...r, since: r.since.toISOString() })),
      refunds: refunds
        .slice()
        .reverse()
        .map((r) => ({
          id: r.id,
          orderRef: r.orderRef,
          dossierCode: r.dossierCode,
          amountVnd: r.amountVnd,
          method: r.method,
          reason: r.reason,
          refundReceiptNo: r.refundReceiptNo,
          refundedAt: r.refundedAt.toISOString(),
        })),
      takings,
      settlement: {
        open: runs.reduce((n, r) => n + r.open, 0),
        last: runs[0] ? { date: runs[0].date, status: runs[0].status } : null,
      },
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireFinance(request);
  const formData = await readForm(request);
  if (formData.get("intent") !== "resolve_payment")
    return failure(context, formFailure(formData, "finance:errors.unknownIntent"));
  const id = String(formData.get("paymentId") ?? "");
  const suffix = isUuid(id) ? `-${id}` : "";
  const result = validateForm(ResolveSchema, formData);
  if (!result.ok) {
    const [field, key] = Object.entries(result.errors)[0] ?? ["note", "finance:errors.note"];
    const target = field === "resolution" || field === "note" ? `${field}${suffix}` : `note${suffix}`;
    return failure(context, fieldFailure(formData, target, key));
  }
  // The review functions do not know about units: the finance officer's scope is checked here.
  if (!(await paymentInFinanceScope(user.scope, result.value.paymentId)))
    return failure(context, fieldFailure(formData, `note${suffix}`, "finance:reviewErrors.notFound"), 404);
  try {
    await resolvePaymentReview(
      db,
      {
        paymentId: result.value.paymentId,
        resolution: result.value.resolution,
        note: result.value.note,
        actor: { id: user.id, role: user.role },
      },
      new Date(),
    );
  } catch (error) {
    if (error instanceof PaymentReviewError) {
      const name = error.code.split(".").pop() ?? "";
      const key = `finance:reviewErrors.${REVIEW_ERRORS.has(name) ? name : "notAllowed"}`;
      return failure(context, fieldFailure(formData, `note${suffix}`, key), name === "notFound" ? 404 : 409);
    }
    throw error;
  }
  return redirect("/finance?resolved=1");
}

export default function Finance() {
  const { today, resolved, review, refunds, takings, settlement } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("finance");
  const lng = i18n.language;
  const errors = actionData?.errors;
  const values = actionData?.values;
  const total = takings.reduce((s, r) => ({ count: s.count + r.count, amount: s.amount + r.amountVnd }), {
    count: 0,
    amount: 0,
  });
  return (
    <>
      <ErrorSummary errors={errors} formError={actionData?.formError} />
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro")}</p>
      {resolved && !actionData ? (
        <p className="notice notice--success" role="status">
          {t("review.resolvedNotice")}
        </p>
      ) : null}

      <h2>{t("takings.title", { date: today })}</h2>
      {takings.length === 0 ? (
        <p>{t("takings.none")}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t("takings.caption", { date: today })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("columns.method")}</th>
              <th scope="col" className="num">
                {t("columns.count")}
              </th>
              <th scope="col" className="num">
                {t("columns.amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {takings.map((r) => (
              <tr key={r.method}>
                <th scope="row">{t(`method.${r.method}`, { defaultValue: r.method })}</th>
                <td className="num">{r.count}</td>
                <td className="num">{formatVnd(r.amountVnd, lng)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t("takings.total")}</th>
              <td className="num">{total.count}</td>
              <td className="num">{formatVnd(total.amount, lng)}</td>
            </tr>
          </tbody>
        </table>
      )}

      <h2>{t("review.title")}</h2>
      <p>{t("review.intro")}</p>
      {review.length === 0 ? (
        <p>{t("review.none")}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t("review.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("columns.order")}</th>
              <th scope="col" className="num">
                {t("columns.amount")}
              </th>
              <th scope="col">{t("columns.reason")}</th>
              <th scope="col">{t("columns.decision")}</th>
            </tr>
          </thead>
          <tbody>
            {review.map((r) => {
              const noteId = `note-${r.id}`;
              const resolutionId = `resolution-${r.id}`;
              const noteError = errors?.[noteId];
              const resolutionError = errors?.[resolutionId];
              const mine = values?.paymentId === r.id;
              return (
                <tr key={r.id}>
                  <td>
                    <code>{r.orderRef}</code>
                    <br />
                    {r.dossierCode ? t("review.dossier", { code: r.dossierCode }) : null}
                    <br />
                    <span className="hint">{t(`method.${r.method}`, { defaultValue: r.method })}</span>
                  </td>
                  <td className="num">{formatVnd(r.amountVnd, lng)}</td>
                  <td>
                    {t(`review.reason.${r.reason}`, { defaultValue: r.reason })}
                    <br />
                    <span className="hint">{t("review.since", { at: formatDateTime(r.since, lng) })}</span>
                  </td>
                  <td>
                    <Form method="post" reloadDocument className="action-form">
                      <CsrfInput />
                      <input type="hidden" name="paymentId" value={r.id} />
                      <SelectField
                        name="resolution"
                        id={resolutionId}
                        label={
                          <>
                            {t("review.resolutionLabel")}
                            <span className="visually-hidden"> — {r.orderRef}</span>
                          </>
                        }
                        error={resolutionError}
                        defaultValue={mine ? values?.resolution : ""}
                      >
                        <option value="">{t("review.choose")}</option>
                        {RESOLUTIONS.map((v) => (
                          <option key={v} value={v}>
                            {t(`review.resolution.${v}`)}
                          </option>
                        ))}
                      </SelectField>
                      <TextAreaField
                        name="note"
                        id={noteId}
                        label={
                          <>
                            {t("review.noteLabel")}
                            <span className="visually-hidden"> — {r.orderRef}</span>
                          </>
                        }
                        error={noteError}
                        rows={2}
                        maxLength={MAX_NOTE_LENGTH}
                        defaultValue={mine ? values?.note : undefined}
                      />
                      <button type="submit" name="intent" value="resolve_payment" className="button">
                        {t("review.submit")}
                        <span className="visually-hidden"> — {r.orderRef}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>{t("refunds.title", { days: REFUND_DAYS })}</h2>
      {refunds.length === 0 ? (
        <p>{t("refunds.none")}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t("refunds.caption", { days: REFUND_DAYS })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("columns.refundedAt")}</th>
              <th scope="col">{t("columns.order")}</th>
              <th scope="col">{t("columns.reasonRefund")}</th>
              <th scope="col">{t("columns.refundReceipt")}</th>
              <th scope="col" className="num">
                {t("columns.amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {refunds.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.refundedAt, lng)}</td>
                <td>
                  <code>{r.orderRef}</code>
                  {r.dossierCode ? (
                    <>
                      <br />
                      {t("review.dossier", { code: r.dossierCode })}
                    </>
                  ) : null}
                  <br />
                  <span className="hint">{t(`method.${r.method}`, { defaultValue: r.method })}</span>
                </td>
                <td>{r.reason ? t(`refunds.reason.${r.reason}`, { defaultValue: r.reason }) : "—"}</td>
                <td>{r.refundReceiptNo ?? "—"}</td>
                <td className="num">{formatVnd(r.amountVnd, lng)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t("settlementSummary.title")}</h2>
      <p>
        {settlement.last
          ? t("settlementSummary.last", {
              date: settlement.last.date,
              status: t(`settlement.status.${settlement.last.status}`),
            })
          : t("settlement.noRuns")}{" "}
        {t("settlementSummary.open", { count: settlement.open })}
      </p>
      <p>
        <Link to="/finance/settlement">{t("settlementSummary.link")}</Link>
      </p>
    </>
  );
}
