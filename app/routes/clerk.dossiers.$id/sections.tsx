/**
 * The parts of the clerk's dossier page (route.tsx): the dossier's summary, its files, a payment at the counter,
 * who handles it, the letter of apology, the timeline and the citizen's digital signature.
 */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../components/csrf-input.tsx";
import type { SignatureVerdict } from "../../server/signing/citizen-signing.server.ts";
import { formatDateTime, formatVnd } from "../../utils/format.ts";

function useDossierT() {
  const { t, i18n } = useTranslation("dossier");
  return { t, lng: i18n.language };
}

/** One word for the fee's state on the clerk's page (payment.feeState.*). */
function feeState(fee: { paid: boolean; waived: boolean; refunded: boolean; requested: boolean }) {
  if (fee.paid) return "paid";
  if (fee.waived) return "waived";
  if (fee.refunded) return "refunded";
  return fee.requested ? "requested" : "notRequested";
}

type SummaryDossier = {
  status: string;
  channel: string;
  applicantName: string;
  applicantId: string;
  submittedAt: string | null;
  dueAt: string | null;
  feeWaiveReason: string | null;
  outcome: string | null;
};
type FeeView = { owed: boolean; feeVnd: number; paid: boolean; waived: boolean; refunded: boolean; requested: boolean };

/** Status and channel, the applicant, the times, the fee and its state, the outcome. */
export function DossierSummary({ d, fee }: { d: SummaryDossier; fee: FeeView | null }) {
  const { t, lng } = useDossierT();
  return (
    <dl className="summary-list">
      <div>
        <dt>{t("receipt.status")}</dt>
        <dd>
          <span className={`tag tag--status-${d.status}`}>{t(`status.${d.status}`)}</span> ({t(`channel.${d.channel}`)})
        </dd>
      </div>
      <div>
        <dt>{t("form.applicantName")}</dt>
        <dd>
          {d.applicantName} — {d.applicantId}
        </dd>
      </div>
      <div>
        <dt>{t("receipt.submittedAt")}</dt>
        <dd>{d.submittedAt ? formatDateTime(d.submittedAt, lng) : "—"}</dd>
      </div>
      <div>
        <dt>{t("receipt.dueAt")}</dt>
        <dd>{d.dueAt ? formatDateTime(d.dueAt, lng) : t("receipt.dueAfterReception")}</dd>
      </div>
      <div>
        <dt>{t("receipt.fee")}</dt>
        <dd>
          {fee?.owed ? formatVnd(fee.feeVnd, lng) : t("receipt.noFee")}
          {fee?.owed ? (
            <>
              {" "}
              — <span data-testid="fee-status">{t(`payment.feeState.${feeState(fee)}`)}</span>
            </>
          ) : null}
          {fee?.waived && d.feeWaiveReason ? <p className="hint">{d.feeWaiveReason}</p> : null}
        </dd>
      </div>
      {d.outcome ? (
        <div>
          <dt>{t("clerkAction.outcome")}</dt>
          <dd>{t(`outcome.${d.outcome}`)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

type DocumentGroup = { name: string; required: boolean; files: { id: string; name: string }[] };

/** The files, grouped under the required document each satisfies. */
export function DossierFiles({ dossierId, documents }: { dossierId: string; documents: DocumentGroup[] }) {
  const { t } = useDossierT();
  const d = { id: dossierId };
  return (
    <>
      <h2>{t("page.filesTitle")}</h2>
      <dl className="summary-list document-files">
        {documents.map((g) => (
          <div key={g.name || "other"}>
            <dt>
              {g.name || t("page.otherFiles")} {g.name && !g.required ? t("form.optional") : null}
            </dt>
            <dd>
              {g.files.length === 0 ? (
                t("page.noFile")
              ) : (
                <ul className="file-list">
                  {g.files.map((f) => (
                    <li key={f.id}>
                      <a href={`/clerk/dossiers/${d.id}/files/${f.id}`}>{f.name}</a>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** Recording a payment made at the counter (cash or transfer). */
export function CounterPayment({ version }: { version: number }) {
  const { t } = useDossierT();
  const d = { version };
  return (
    <Form method="post" className="notice">
      <h2>{t("payment.counterTitle")}</h2>
      <CsrfInput />
      <input type="hidden" name="version" value={d.version} />
      <div className="form-group">
        <label className="label" htmlFor="method">
          {t("payment.method")}
        </label>
        <select id="method" name="method" defaultValue="cash">
          <option value="cash">{t("payment.methods.cash")}</option>
          <option value="transfer">{t("payment.methods.transfer")}</option>
        </select>
      </div>
      <button type="submit" name="intent" value="counter_payment" className="button">
        {t("payment.counterSubmit")}
      </button>
    </Form>
  );
}

/** Who handles the dossier, and assigning it to a clerk of the unit. */
export function Assignment({
  version,
  claimedBy,
  lastActor,
  clerks,
  me,
}: {
  version: number;
  claimedBy: string | null;
  lastActor: { name: string; at: string } | null;
  clerks: { id: string; name: string }[];
  me: string;
}) {
  const { t, lng } = useDossierT();
  const d = { version };
  return (
    <>
      <h2>{t("assign.title")}</h2>
      <p>
        {claimedBy
          ? t("assign.current", { name: claimedBy })
          : lastActor
            ? t("assign.lastActor", { name: lastActor.name, at: formatDateTime(lastActor.at, lng) })
            : t("assign.nobody")}
      </p>
      <Form method="post" className="assign-form">
        <CsrfInput />
        <input type="hidden" name="version" value={d.version} />
        <div className="form-group">
          <label className="label" htmlFor="assigneeId">
            {t("assign.label")}
          </label>
          <select id="assigneeId" name="assigneeId" defaultValue={me}>
            {clerks.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" name="intent" value="assign" className="button button--secondary">
          {t("assign.submit")}
        </button>
      </Form>
    </>
  );
}

/** The letter of apology already written, or the form to write one with a new date. */
export function ApologySection({
  apology,
  canApologise,
  version,
}: {
  apology: { reason: string; newDueAt: string } | null;
  canApologise: boolean;
  version: number;
}) {
  const { t, lng } = useDossierT();
  const d = { version };
  return (
    <>
      {apology ? (
        <div className="notice">
          <h2>{t("apology.title")}</h2>
          <p>{apology.reason}</p>
          <p>{t("apology.newDate", { date: formatDateTime(apology.newDueAt, lng) })}</p>
        </div>
      ) : null}
      {canApologise ? (
        <details className="apology-form">
          <summary>{t("apology.open")}</summary>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="version" value={d.version} />
            <div className="form-group">
              <label className="label" htmlFor="apologyReason">
                {t("apology.reason")}
              </label>
              <textarea id="apologyReason" name="reason" rows={3} maxLength={2000} />
            </div>
            <div className="form-group">
              <label className="label" htmlFor="newDueDate">
                {t("apology.newDateLabel")}
              </label>
              <input id="newDueDate" name="newDueDate" type="date" className="input" />
            </div>
            <button type="submit" name="intent" value="apologise" className="button button--secondary">
              {t("apology.submit")}
            </button>
          </Form>
        </details>
      ) : null}
    </>
  );
}

type TimelineEvent = {
  id: number | string;
  at: string;
  action: string;
  reason: string | null;
  handover?: { from: string; to: string; rule: string | null } | null;
};

/** The dossier's history, with where a hand-over went and by which rule. */
export function Timeline({ timeline }: { timeline: TimelineEvent[] }) {
  const { t, lng } = useDossierT();
  return (
    <>
      <h2>{t("page.timelineTitle")}</h2>
      <ol className="timeline">
        {timeline.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{formatDateTime(e.at, lng)}</time> — {t(`event.${e.action}`)}
            {e.handover ? (
              <p className="hint">
                {t("handover.detail", { from: e.handover.from, to: e.handover.to })}
                {e.handover.rule ? ` (${t(`handover.rule.${e.handover.rule}`)})` : null}
              </p>
            ) : null}
            {e.reason ? <p className="hint">{e.reason}</p> : null}
          </li>
        ))}
      </ol>
    </>
  );
}

/** The citizen's digital signature on the declaration: who signed and whether it holds, or a clear warning. */
export function CitizenSignature({ dossierId, verdict }: { dossierId: string; verdict: SignatureVerdict | null }) {
  const { t, i18n } = useTranslation("documents");
  if (!verdict)
    return (
      <section aria-labelledby="citizen-signature-title">
        <h2 id="citizen-signature-title">{t("signing.clerkTitle")}</h2>
        <p data-testid="citizen-signature">{t("signing.clerkNone")}</p>
      </section>
    );
  const ok = verdict.valid && verdict.matchesApplicant && verdict.matchesAnswers;
  const reasons = [
    !verdict.intact ? "reasonIntact" : null,
    !verdict.signatureValid ? "reasonSignature" : null,
    !verdict.chainTrusted ? "reasonChain" : null,
    verdict.revokedAtSigning ? "reasonRevoked" : null,
    !verdict.matchesApplicant ? "reasonApplicant" : null,
    !verdict.matchesAnswers ? "reasonAnswers" : null,
  ].filter((r): r is string => r !== null);
  return (
    <section aria-labelledby="citizen-signature-title" className={ok ? "panel-valid" : "panel-invalid"}>
      <h2 id="citizen-signature-title">{t("signing.clerkTitle")}</h2>
      <p data-testid="citizen-signature">
        <strong>
          {ok
            ? t("signing.clerkValid", { name: verdict.signerName ?? "—", id: verdict.signerNationalId ?? "—" })
            : t("signing.clerkInvalid")}
        </strong>
      </p>
      {reasons.length > 0 ? (
        <ul>
          {reasons.map((r) => (
            <li key={r}>{t(`signing.${r}`)}</li>
          ))}
        </ul>
      ) : null}
      <p>
        {t("signing.signedAt")}: {formatDateTime(verdict.signedAt, i18n.language)} ·{" "}
        <a href={`/clerk/dossiers/${dossierId}/declaration.pdf`} download>
          {t("signing.clerkDownload")}
        </a>
      </p>
    </section>
  );
}
