import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { PaymentList } from "../../components/payment-list.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import type { DossierStatus } from "../../domain/dossier/dossier.ts";
import { DossierDomainError } from "../../domain/dossier/dossier-errors.ts";
import { parseRating, RATINGS, ratingProblem } from "../../domain/dossier/rating.ts";
import { db } from "../../server/db.server.ts";
import { ownDossier } from "../../server/dossiers/citizen-access.server.ts";
import { citizenDossierView } from "../../server/dossiers/dossier-view.server.ts";
import { RatingNotPossibleError, rateDossier } from "../../server/dossiers/rating.server.ts";
import { actOnDossier, answerSupplement } from "../../server/dossiers/workflow-service.server.ts";
import { publicUrl } from "../../server/env.server.ts";
import { failure, fieldFailure, formFailure, readForm, validateForm } from "../../server/form.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import {
  feeStatusOfDossier,
  PaymentNotPossibleError,
  startOnlinePayment,
} from "../../server/payments/payment-service.server.ts";
import { formatDateTime, formatVnd } from "../../utils/format.ts";

export const handle = { i18n: ["dossier", "validation"] };

/**
 * What the citizen posts from this page: withdraw (with a reason), rate, pay, or answer a supplement request
 * (files and a note). A missing or malformed version reads as 0, which the workflow refuses as stale (409).
 */
const PostSchema = z.object({
  intent: z.string().optional(),
  version: z.coerce.number().int().catch(0),
  reason: z
    .string()
    .optional()
    .transform((v) => v?.slice(0, 2000) || undefined),
  note: z
    .string()
    .optional()
    .transform((v) => (v ?? "").slice(0, 2000)),
  rating: z.string().optional().transform(parseRating),
});

/** The citizen answers a supplement request with files (and a note), in one audited transaction. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, row } = await ownDossier(request, params.id);
  const formData = await readForm(request);
  const post = validateForm(PostSchema, formData);
  if (!post.ok) return failure(context, post);
  const { intent, version, reason, note, rating } = post.value;
  if (intent === "withdraw") {
    try {
      await actOnDossier(
        db,
        row.id,
        {
          action: "withdraw",
          input: { reason },
          expectedVersion: version,
        },
        { role: "citizen", userId: user.id },
        new Date(),
      );
    } catch (error) {
      if (error instanceof DossierDomainError) return failure(context, formFailure(formData, error.code), 409);
      throw error;
    }
    return redirect(`/dossiers/${row.id}?withdrawn=1`);
  }
  if (intent === "rate") {
    if (!rating) return failure(context, fieldFailure(formData, "rating", "validation:rating.required"));
    try {
      await rateDossier(db, user.id, row.id, rating, new Date());
    } catch (error) {
      if (error instanceof RatingNotPossibleError)
        return failure(context, formFailure(formData, `validation:rating.${error.problem}`), 409);
      throw error;
    }
    return redirect(`/dossiers/${row.id}?rated=1`);
  }
  if (intent === "pay") {
    try {
      const lng = await getLanguage(request);
      const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "127.0.0.1";
      return redirect(
        await startOnlinePayment(
          db,
          { id: user.id, fullName: user.fullName },
          row.id,
          ip,
          lng,
          new Date(),
          new URL(request.url).origin,
        ),
      );
    } catch (error) {
      if (error instanceof PaymentNotPossibleError) return failure(context, formFailure(formData, error.code), 409);
      throw error;
    }
  }
  const files = formData.getAll("files").filter((f): f is File => typeof f !== "string" && f.size > 0);
  try {
    const { problems } = await answerSupplement(
      db,
      user.id,
      row.id,
      { files, note, expectedVersion: version },
      new Date(),
    );
    if (problems.length > 0)
      return failure(context, fieldFailure(formData, "files", `validation:upload.${problems[0]}`));
  } catch (error) {
    if (error instanceof DossierDomainError) return failure(context, formFailure(formData, error.code), 409);
    throw error;
  }
  return redirect(`/dossiers/${row.id}?answered=1`);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { row } = await ownDossier(request, params.id);
  if (row.status === "draft") throw redirect(`/dossiers/${row.id}/edit`);
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  const url = new URL(request.url);
  const [view, fee] = await Promise.all([citizenDossierView(row, lng, publicUrl()), feeStatusOfDossier(db, row.id)]);
  return {
    title: t("page.title", { code: row.code }),
    submitted: url.searchParams.get("submitted") === "1",
    rated: url.searchParams.get("rated") === "1",
    rating: row.rating,
    canRate: ratingProblem(row.status as DossierStatus, row.rating) === null,
    version: row.version,
    view,
    // What can be paid now: a requested fee, or a fixed fee at filing (pay before the clerk asks).
    pay: fee?.canPayNow ? { amountVnd: fee.feeVnd, atFiling: !fee.requested } : null,
  };
}

export default function DossierPage() {
  const { view: d, submitted, version, rated, rating, canRate, pay } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("dossier");
  const lng = i18n.language;
  const request =
    d.status === "supplement_requested" ? d.timeline.findLast((e) => e.action === "request_supplement") : undefined;
  return (
    <>
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      {submitted ? (
        <div className="panel-confirmation" role="status">
          <h1>{t("receipt.title")}</h1>
          <p>
            {t("receipt.codeLabel")}
            <br />
            <strong className="dossier-code">{d.code}</strong>
          </p>
        </div>
      ) : (
        <>
          <span className="caption">{d.procedure}</span>
          <h1>{t("page.title", { code: d.code })}</h1>
        </>
      )}
      <section className="receipt" aria-labelledby="receipt-title">
        <h2 id="receipt-title">{t("receipt.heading")}</h2>
        <div className="receipt__grid">
          <dl className="summary-list">
            <div>
              <dt>{t("receipt.code")}</dt>
              <dd>{d.code}</dd>
            </div>
            <div>
              <dt>{t("receipt.procedure")}</dt>
              <dd>{d.procedure}</dd>
            </div>
            <div>
              <dt>{t("receipt.agency")}</dt>
              <dd>{d.agency}</dd>
            </div>
            <div>
              <dt>{t("receipt.status")}</dt>
              <dd>
                <span className={`tag tag--status-${d.status}`}>{t(`status.${d.status}`)}</span>
              </dd>
            </div>
            <div>
              <dt>{t("receipt.submittedAt")}</dt>
              <dd>{d.submittedAt ? formatDateTime(d.submittedAt, lng) : "—"}</dd>
            </div>
            <div>
              <dt>{t("receipt.dueAt")}</dt>
              <dd>
                {d.dueAt
                  ? formatDateTime(d.dueAt, lng)
                  : d.expectedDueAt
                    ? t("receipt.dueExpected", { date: formatDateTime(d.expectedDueAt, lng) })
                    : t("receipt.dueAfterReception")}
              </dd>
            </div>
            {d.clock?.day ? (
              <div>
                <dt>{t("receipt.clock")}</dt>
                <dd>
                  {t("receipt.clockValue", { day: d.clock.day, of: d.clock.of })}
                  {d.clock.pausedDays > 0 ? `; ${t("receipt.paused", { count: d.clock.pausedDays })}` : ""}
                  {d.clock.waiting ? ` — ${t("receipt.waiting")}` : ""}
                </dd>
              </div>
            ) : null}
            <div>
              <dt>{t("receipt.fee")}</dt>
              <dd>{d.feeVnd > 0 ? formatVnd(d.feeVnd, lng) : t("receipt.noFee")}</dd>
            </div>
          </dl>
          {d.qrSvg ? (
            <figure className="qr">
              {/* biome-ignore lint/security/noDangerouslySetInnerHtml: SVG generated on the server by the qrcode library from our own URL */}
              <div role="img" aria-label={t("receipt.qrLabel")} dangerouslySetInnerHTML={{ __html: d.qrSvg }} />
              <figcaption className="hint">{t("receipt.qrCaption")}</figcaption>
            </figure>
          ) : null}
        </div>
        <p className="hint no-print">{t("receipt.printHint")}</p>
      </section>

      {pay ? (
        <section className="notice" aria-labelledby="pay-title">
          <h2 id="pay-title">{t("payment.title")}</h2>
          <p>
            {t(pay.atFiling ? "payment.introAtFiling" : "payment.intro", { amount: formatVnd(pay.amountVnd, lng) })}
          </p>
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value="pay" className="button">
              {t("payment.payOnline")}
            </button>
          </Form>
        </section>
      ) : null}
      <PaymentList payments={d.payments} />
      {rated ? (
        <div className="panel-confirmation" role="status">
          <p>{t("rating.thanks")}</p>
        </div>
      ) : null}
      {canRate ? (
        <section aria-labelledby="rating-title">
          <h2 id="rating-title">{t("rating.title")}</h2>
          <Form method="post">
            <CsrfInput />
            <div className={`form-group${actionData?.errors?.rating ? " form-group--error" : ""}`}>
              <fieldset className="fieldset" aria-describedby={actionData?.errors?.rating ? "rating-error" : undefined}>
                <legend className="fieldset__legend">{t("rating.legend")}</legend>
                {actionData?.errors?.rating ? (
                  <p id="rating-error" className="error-message">
                    {t(actionData.errors.rating)}
                  </p>
                ) : null}
                <div className="radios">
                  {RATINGS.map((r) => (
                    <div className="radios__item" key={r}>
                      <input className="radios__input" id={`rating-${r}`} type="radio" name="rating" value={r} />
                      <label className="label radios__label" htmlFor={`rating-${r}`}>
                        {t(`rating.r${r}`)}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
            <button type="submit" name="intent" value="rate" className="button">
              {t("rating.submit")}
            </button>
          </Form>
        </section>
      ) : rating ? (
        <p>
          {t("rating.yours")} <strong>{t(`rating.r${rating}`)}</strong>
        </p>
      ) : null}
      {["received", "processing", "supplement_requested", "payment_requested"].includes(d.status) ? (
        <details className="apology-form">
          <summary>{t("withdraw.open")}</summary>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="version" value={version} />
            <p>{t("withdraw.warning")}</p>
            <div className="form-group">
              <label className="label" htmlFor="withdrawReason">
                {t("withdraw.reason")}
              </label>
              <textarea id="withdrawReason" name="reason" rows={2} maxLength={2000} />
            </div>
            <button type="submit" name="intent" value="withdraw" className="button button--warning">
              {t("withdraw.submit")}
            </button>
          </Form>
        </details>
      ) : null}
      {request ? (
        <section className="notice" aria-labelledby="supplement-title">
          <h2 id="supplement-title">{t("supplement.title")}</h2>
          <p>{t("supplement.intro")}</p>
          <ul>
            {request.missingDocuments.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          <Form method="post" encType="multipart/form-data">
            <CsrfInput />
            <input type="hidden" name="version" value={version} />
            <div className={`form-group${actionData?.errors?.files ? " form-group--error" : ""}`}>
              <label className="label" htmlFor="files">
                {t("supplement.files")}
              </label>
              {actionData?.errors?.files ? (
                <p className="error-message" id="files-error">
                  {t(actionData.errors.files)}
                </p>
              ) : null}
              <input id="files" name="files" type="file" multiple accept="application/pdf,image/jpeg,image/png" />
            </div>
            <div className="form-group">
              <label className="label" htmlFor="note">
                {t("supplement.note")}
              </label>
              <textarea id="note" name="note" rows={3} maxLength={2000} />
            </div>
            <button type="submit" className="button">
              {t("supplement.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      {d.apology ? (
        <section className="notice" aria-labelledby="apology-title">
          <h2 id="apology-title">{t("apology.letterTitle")}</h2>
          <p>{t("apology.letterIntro", { agency: d.agency })}</p>
          <p>{d.apology.reason}</p>
          <p>
            <strong>{t("apology.newDate", { date: formatDateTime(d.apology.newDueAt, lng) })}</strong>
          </p>
        </section>
      ) : null}
      {d.status === "returned" ? (
        <p>
          <Link to={`/dossiers/${d.id}/result`} className="button">
            {t("result.link")}
          </Link>
        </p>
      ) : null}

      <h2>{t("page.timelineTitle")}</h2>
      <ol className="timeline">
        {d.timeline.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{formatDateTime(e.at, lng)}</time> — {t(`event.${e.action}`)}
            {e.agency ? ` (${e.agency})` : ""}
            {e.reason ? <p className="hint">{e.reason}</p> : null}
          </li>
        ))}
      </ol>

      <h2>{t("page.filesTitle")}</h2>
      <ul>
        {d.files.map((f) => (
          <li key={f.id}>
            <a href={`/dossiers/${d.id}/files/${f.id}`}>{f.name}</a> ({Math.ceil(f.sizeBytes / 1024)} KB)
          </li>
        ))}
      </ul>

      <h2>{t("page.viewsTitle")}</h2>
      {d.views.length === 0 ? (
        <p>{t("page.noViews")}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t("page.viewsTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("page.viewTime")}</th>
              <th scope="col">{t("page.viewAgency")}</th>
              <th scope="col">{t("page.viewRole")}</th>
              <th scope="col">{t("page.viewAction")}</th>
            </tr>
          </thead>
          <tbody>
            {d.views.map((v) => (
              <tr key={`${v.at}-${v.action}`}>
                <td>{formatDateTime(v.at, lng)}</td>
                <td>{v.agency ?? "—"}</td>
                <td>{t(`common:roles.${v.role}`)}</td>
                <td>{t(`viewAction.${v.action}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to="/dossiers">{t("page.back")}</Link>
      </p>
    </>
  );
}
