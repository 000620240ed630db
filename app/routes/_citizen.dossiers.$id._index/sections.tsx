/**
 * The parts of the citizen's dossier page (route.tsx): the receipt, paying online, the rating, withdrawing,
 * answering a supplement request, the letter of apology and the dossier's history.
 */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ContactSummary } from "../../components/contact-summary.tsx";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { OPEN_RECEIVED_STATUSES } from "../../domain/dossier/dossier-clock.ts";
import { RATINGS, type Rating } from "../../domain/dossier/rating.ts";
import type { citizenDossierView } from "../../server/dossiers/dossier-view.server.ts";
import { formatDateTime, formatVnd } from "../../utils/format.ts";

export type DossierView = Awaited<ReturnType<typeof citizenDossierView>>;
type Errors = Record<string, string> | undefined;

function useDossierT() {
  const { t, i18n } = useTranslation("dossier");
  return { t, lng: i18n.language };
}

/** The receipt and appointment slip (form 01): code, procedure, unit, status, times, fee and the lookup QR. */
export function Receipt({ d }: { d: DossierView }) {
  const { t, lng } = useDossierT();
  return (
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
      <h3>{t("contact.title")}</h3>
      <ContactSummary contact={d.contact} />
      <p className="hint no-print">{t("receipt.printHint")}</p>
    </section>
  );
}

/** The fee that can be paid now, with the button that goes to the payment gateway. */
export function PayOnline({ pay }: { pay: { amountVnd: number; atFiling: boolean } | null }) {
  const { t, lng } = useDossierT();
  if (!pay) return null;
  return (
    <section className="notice" aria-labelledby="pay-title">
      <h2 id="pay-title">{t("payment.title")}</h2>
      <p>{t(pay.atFiling ? "payment.introAtFiling" : "payment.intro", { amount: formatVnd(pay.amountVnd, lng) })}</p>
      <Form method="post">
        <CsrfInput />
        <button type="submit" name="intent" value="pay" className="button">
          {t("payment.payOnline")}
        </button>
      </Form>
    </section>
  );
}

/** The satisfaction rating: thanks after rating, the form while it can be rated, else the rating given. */
export function RatingSection({
  rated,
  canRate,
  rating,
  errors,
}: {
  rated: boolean;
  canRate: boolean;
  rating: number | null;
  errors: Errors;
}) {
  const { t } = useDossierT();
  return (
    <>
      {rated ? (
        <div className="panel-confirmation" role="status">
          <p>{t("rating.thanks")}</p>
        </div>
      ) : null}
      {canRate ? <RatingForm errors={errors} /> : rating ? <YourRating rating={rating} /> : null}
    </>
  );
}

function RatingForm({ errors }: { errors: Errors }) {
  const { t } = useDossierT();
  return (
    <section aria-labelledby="rating-title">
      <h2 id="rating-title">{t("rating.title")}</h2>
      <Form method="post">
        <CsrfInput />
        <div className={`form-group${errors?.rating ? " form-group--error" : ""}`}>
          <fieldset className="fieldset" aria-describedby={errors?.rating ? "rating-error" : undefined}>
            <legend className="fieldset__legend">{t("rating.legend")}</legend>
            {errors?.rating ? (
              <p id="rating-error" className="error-message">
                {t(errors.rating)}
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
  );
}

function YourRating({ rating }: { rating: Rating | number }) {
  const { t } = useDossierT();
  return (
    <p>
      {t("rating.yours")} <strong>{t(`rating.r${rating}`)}</strong>
    </p>
  );
}

/** Withdrawing the dossier, offered while it is received and still open. */
export function Withdraw({ status, version }: { status: string; version: number }) {
  const { t } = useDossierT();
  if (!OPEN_RECEIVED_STATUSES.includes(status)) return null;
  return (
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
  );
}

/** Answering the latest supplement request: the documents asked for, files and a note. */
export function SupplementAnswer({
  request,
  version,
  errors,
}: {
  request: DossierView["timeline"][number] | undefined;
  version: number;
  errors: Errors;
}) {
  const { t } = useDossierT();
  if (!request) return null;
  return (
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
        <div className={`form-group${errors?.files ? " form-group--error" : ""}`}>
          <label className="label" htmlFor="files">
            {t("supplement.files")}
          </label>
          {errors?.files ? (
            <p className="error-message" id="files-error">
              {t(errors.files)}
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
  );
}

/** The letter of apology (form 04) with the new appointment. */
export function ApologyLetter({ d }: { d: DossierView }) {
  const { t, lng } = useDossierT();
  if (!d.apology) return null;
  return (
    <section className="notice" aria-labelledby="apology-title">
      <h2 id="apology-title">{t("apology.letterTitle")}</h2>
      <p>{t("apology.letterIntro", { agency: d.agency })}</p>
      <p>{d.apology.reason}</p>
      <p>
        <strong>{t("apology.newDate", { date: formatDateTime(d.apology.newDueAt, lng) })}</strong>
      </p>
    </section>
  );
}

/** The dossier's history: its timeline, its files and who looked at it. */
export function History({ d }: { d: DossierView }) {
  const { t, lng } = useDossierT();
  return (
    <>
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
    </>
  );
}
