import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ContactSummary } from "../../components/contact-summary.tsx";
import { StepSharesTable } from "../../components/control-sheet.tsx";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { PaymentList } from "../../components/payment-list.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { isReportingDate } from "../../domain/calendar/iso-date.ts";
import type { DossierAction, DossierStatus } from "../../domain/dossier/dossier.ts";
import { apologyAppointment, mayApologise } from "../../domain/dossier/dossier-clock.ts";
import { ActorNotAllowedError, DossierDomainError, MissingInputError } from "../../domain/dossier/dossier-errors.ts";
import { allowedActions } from "../../domain/dossier/dossier-workflow.ts";
import { isUuid } from "../../domain/ids/uuid.ts";
import { getCalendar } from "../../server/calendar/calendar-service.server.ts";
import { agencyByCode, allAgencies } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { dossierSteps, stepShareView } from "../../server/dossiers/control-sheet.server.ts";
import { apologyOf, attachmentsOf, eventsOf } from "../../server/dossiers/dossier-queries.server.ts";
import { contactOf } from "../../server/dossiers/dossier-service.server.ts";
import { agencyDossier } from "../../server/dossiers/staff-access.server.ts";
import {
  ApologyRefusedError,
  actOnDossier,
  assignDossier,
  clerksOfAgency,
  InvalidAssigneeError,
  recordApology,
  recordStaffView,
} from "../../server/dossiers/workflow-service.server.ts";
import { StorageFullError } from "../../server/files/file-store.server.ts";
import { failure, fieldFailure, formFailure, formValues, readForm } from "../../server/form.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import {
  feeStatusOfDossier,
  PaymentNotPossibleError,
  paymentsOfDossier,
  recordCounterPayment,
} from "../../server/payments/payment-service.server.ts";
import {
  attachmentFromForm,
  parseDecision,
  storeDecisionAttachment,
  storedDecision,
} from "../../server/results/decision-form.server.ts";
import { recordDecision, resultContent } from "../../server/results/result-issue.server.ts";
import { hasSignedResult, resultTemplateOfProcedure } from "../../server/results/result-queries.server.ts";
import { signatureOfDossier } from "../../server/signing/citizen-signing.server.ts";
import { answerText, type FormFieldSpec, fieldLabel } from "../../utils/procedure-form-spec.ts";
import {
  ApologySection,
  Assignment,
  CitizenSignature,
  CounterPayment,
  DossierFiles,
  DossierSummary,
  Timeline,
} from "./sections.tsx";

export const handle = { i18n: ["dossier", "auth", "validation", "documents"] };

/**
 * The workflow actions a clerk can post from this page. `confirm_payment` is not one of them: a payment is
 * confirmed only by the payment code (IPN, reconciliation, or recording a counter payment with its receipt).
 */
const CLERK_ACTIONS = [
  "receive",
  "refuse",
  "request_supplement",
  "start_processing",
  "transfer",
  "request_payment",
  "waive_fee",
  "stop",
  "resolve",
  "return_result",
] as const satisfies readonly DossierAction[];

const ActionSchema = z.object({
  intent: z.enum([...CLERK_ACTIONS, "apologise", "assign", "counter_payment", "preview_resolve"]),
  method: z.enum(["cash", "transfer"]).optional(),
  assigneeId: z
    .string()
    .refine((v) => v === "" || isUuid(v), "validation:assign.invalid")
    .optional(),
  toAgencyCode: z.string().max(32).optional(),
  newDueDate: z.string().max(10).optional(),
  version: z.coerce.number().int().min(1),
  reason: z.string().max(2000).optional(),
  missingDocuments: z.string().max(4000).optional(),
  amountVnd: z.string().max(20).optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, row } = await agencyDossier(request, params.id);
  await recordStaffView(db, row.id, { id: user.id, role: user.role, agencyCode: user.agencyCode }, "open");
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  const [payments, clerks, agencies, events, files, apology, fee] = await Promise.all([
    paymentsOfDossier(db, row.id),
    clerksOfAgency(db, row.agency_code),
    allAgencies(db),
    eventsOf(db, row.id),
    attachmentsOf(db, row.id),
    apologyOf(db, row.id),
    feeStatusOfDossier(db, row.id),
  ]);
  const calendar = await getCalendar(db);
  const names = new Map(agencies.map((a) => [a.code, lng === "en" ? a.name_en : a.name_vi]));
  const steps = dossierSteps(row, events, calendar, new Date()).map((r) =>
    stepShareView(r, (code) => names.get(code) ?? code),
  );
  const fields = row.procedure_form as FormFieldSpec[];
  const resultRegister = (await resultTemplateOfProcedure(db, row.procedure_code, fields)).register;
  const answers = row.form_data as Record<string, string | undefined>;
  const actions = allowedActions(
    {
      status: row.status as DossierStatus,
      agencyCode: row.agency_code,
      applicantId: row.applicant_id ?? "",
      receivedAt: row.received_at,
      version: row.version,
    },
    { role: "clerk", userId: user.id, agencyCode: user.agencyCode },
  )
    .filter((a): a is (typeof CLERK_ACTIONS)[number] => (CLERK_ACTIONS as readonly string[]).includes(a))
    // A waiver is offered only for a fee that is owed and not yet paid or waived.
    .filter((a) => a !== "waive_fee" || (fee?.owed === true && !fee.settled));
  return {
    title: t("page.title", { code: row.code }),
    dossier: {
      id: row.id,
      code: row.code,
      status: row.status,
      version: row.version,
      channel: row.channel,
      procedure: lng === "en" ? row.procedure_name_en : row.procedure_name_vi,
      applicantName: row.applicant_name,
      applicantId: row.applicant_national_id,
      submittedAt: row.submitted_at?.toISOString() ?? null,
      receivedAt: row.received_at?.toISOString() ?? null,
      dueAt: row.due_at?.toISOString() ?? null,
      feeVnd: row.fee_vnd,
      outcome: row.outcome,
      feeWaiveReason: row.fee_waive_reason,
      contact: contactOf(row),
    },
    fee,
    answers: fields.map((f) => ({
      name: f.name,
      label: fieldLabel(f, lng),
      value: answerText(f, answers[f.name], lng),
    })),
    // Each file under the required document it was uploaded for, in the procedure's order.
    documents: documentGroups(row.procedure_documents as DocumentSpec[], files, lng),
    timeline: events.map((e) => {
      // A reorganisation's hand-over says from which unit to which, and by what rule (ADR 017).
      const data = (e.data ?? {}) as { from?: string; to?: string; rule?: string };
      const handover =
        e.action === "reorganisation_handover" && data.from && data.to
          ? {
              from: names.get(data.from) ?? data.from,
              to: names.get(data.to) ?? data.to,
              rule: ["only_successor", "address", "clerk_choice"].includes(data.rule ?? "") ? data.rule! : null,
            }
          : null;
      return { id: e.id, at: e.at.toISOString(), action: e.action, reason: e.reason, handover };
    }),
    actions,
    apology: apology ? { reason: apology.reason, newDueAt: apology.new_due_at.toISOString() } : null,
    steps,
    payments: payments
      .filter((p) => p.status !== "pending")
      .map((p) => ({
        id: p.id,
        method: p.method,
        status: p.status,
        amount: p.amount_vnd,
        receiptNo: p.receipt_no,
        refundReceiptNo: p.refund_receipt_no,
      })),
    clerks: clerks.map((c) => ({ id: c.id, name: c.full_name })),
    claimedBy: clerks.find((c) => c.id === row.claimed_by)?.full_name ?? null,
    // Nobody assigned yet: say who last acted on the dossier, so the page does not read "nobody".
    lastActor: (() => {
      const last = [...events].reverse().find((e) => e.actor_role === "clerk" && e.actor_id);
      const name = last ? clerks.find((c) => c.id === last.actor_id)?.full_name : undefined;
      return last && name ? { name, at: last.at.toISOString() } : null;
    })(),
    me: user.id,
    agencies: agencies
      .filter((a) => a.code !== row.agency_code)
      .map((a) => ({ code: a.code, name: lng === "en" ? a.name_en : a.name_vi })),
    resultRegister,
    hasResultPdf: await hasSignedResult(db, row.id),
    // The citizen's signed declaration, checked now by the same verifier as /verify (ADR 018).
    citizenSignature: await signatureOfDossier(db, row.id),
    canApologise: mayApologise(row.status, Boolean(apology)),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, row } = await agencyDossier(request, params.id);
  const formData = await readForm(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return failure(context, formFailure(formData, "validation:field.invalid"));
  const { intent, version, reason, missingDocuments, amountVnd, newDueDate, assigneeId, toAgencyCode } = parsed.data;
  if (intent === "counter_payment") {
    try {
      await recordCounterPayment(
        db,
        { id: user.id, agencyCode: user.agencyCode ?? "", fullName: user.fullName },
        row.id,
        parsed.data.method ?? "cash",
        new Date(),
      );
    } catch (error) {
      if (error instanceof PaymentNotPossibleError) return failure(context, formFailure(formData, error.code), 409);
      if ((error as { code?: string }).code === "23505") {
        return failure(context, formFailure(formData, "validation:payment.notPossible"), 409);
      }
      throw error;
    }
    return redirect(`/clerk/dossiers/${row.id}?done=payment`);
  }
  if (intent === "assign") {
    try {
      await assignDossier(
        db,
        row.id,
        { id: user.id, agencyCode: user.agencyCode ?? "" },
        { assigneeId: assigneeId || user.id, expectedVersion: version },
        new Date(),
      );
    } catch (error) {
      if (error instanceof InvalidAssigneeError)
        return failure(context, fieldFailure(formData, "assigneeId", "validation:assign.invalid"));
      if (error instanceof DossierDomainError) return failure(context, formFailure(formData, error.code), 409);
      throw error;
    }
    return redirect(`/clerk/dossiers/${row.id}?done=assign`);
  }
  if (intent === "transfer" && toAgencyCode && !(await agencyByCode(db, toAgencyCode))) {
    return failure(context, fieldFailure(formData, "toAgencyCode", "validation:transfer.unknownAgency"));
  }
  if (intent === "apologise") {
    if (!reason?.trim()) return failure(context, fieldFailure(formData, "apologyReason", "validation:apology.reason"));
    if (!newDueDate || !isReportingDate(newDueDate)) {
      return failure(context, fieldFailure(formData, "newDueDate", "validation:apology.date"));
    }
    try {
      await recordApology(
        db,
        row.id,
        { id: user.id, agencyCode: user.agencyCode ?? "" },
        { reason: reason.trim(), newDueAt: apologyAppointment(newDueDate), expectedVersion: version },
        new Date(),
      );
    } catch (error) {
      if (error instanceof ApologyRefusedError)
        return failure(context, formFailure(formData, `validation:apology.${error.problem}`));
      if (error instanceof DossierDomainError) return failure(context, formFailure(formData, error.code), 409);
      throw error;
    }
    return redirect(`/clerk/dossiers/${row.id}?done=apologise`);
  }
  // "Hoàn thành xử lý" (issue 14): the decision is entered, previewed as the result, then confirmed.
  let alsoWrite: Parameters<typeof actOnDossier>[5];
  if (intent === "preview_resolve" || intent === "resolve") {
    const template = await resultTemplateOfProcedure(db, row.procedure_code, row.procedure_form as FormFieldSpec[]);
    const parsedDecision = parseDecision(formData, template.register);
    if (!parsedDecision.ok)
      return failure(context, { ok: false, errors: parsedDecision.errors, values: formValues(formData) });
    const { decision } = parsedDecision;
    if (intent === "preview_resolve") {
      const stored = await storeDecisionAttachment(row.id, formData.get("attachment")).catch((error: unknown) => {
        if (error instanceof StorageFullError) return { ok: false as const, problem: "storageFull" as const };
        throw error;
      });
      if (!stored.ok && stored.problem === "storageFull")
        return failure(context, fieldFailure(formData, "attachment", "validation:upload.storageFullRetry"), 503);
      if (!stored.ok)
        return failure(context, fieldFailure(formData, "attachment", `documents:errors.attachment.${stored.problem}`));
      const content = await resultContent(db, row.id, storedDecision(decision, stored.ref));
      return {
        ok: true as const,
        preview: {
          decision,
          attachment: stored.ref,
          resultName: content.resultName,
          agencyName: content.agencyName,
          rows: content.filled.rows,
          decisionRows: content.filled.decisionRows,
          missing: content.filled.missing,
        },
      };
    }
    const attachment = attachmentFromForm(row.id, formData);
    if (attachment === "forged") return failure(context, formFailure(formData, "documents:errors.attachmentForged"));
    const now = new Date();
    alsoWrite = (trx) => recordDecision(trx, row.id, storedDecision(decision, attachment), user.id, now);
  }
  const amount = amountVnd?.trim() ? Number(amountVnd.replace(/[.\s,]/g, "")) : undefined;
  try {
    await actOnDossier(
      db,
      row.id,
      {
        action: intent as DossierAction,
        expectedVersion: version,
        input: {
          reason,
          missingDocuments: missingDocuments
            ?.split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean),
          amountVnd: amount,
          toAgencyCode: toAgencyCode || undefined,
        },
      },
      { role: "clerk", userId: user.id, agencyCode: user.agencyCode },
      new Date(),
      alsoWrite,
    );
  } catch (error) {
    if (error instanceof DossierDomainError) {
      // A result refused for an unsettled fee, a stale form, a fee already paid: the dossier has moved on.
      const status = error instanceof MissingInputError || error instanceof ActorNotAllowedError ? 400 : 409;
      if (error instanceof MissingInputError && intent === "waive_fee") {
        return failure(context, fieldFailure(formData, "reason-waive_fee", "validation:feeWaiver.reason"));
      }
      return failure(context, formFailure(formData, error.code), status);
    }
    throw error;
  }
  return redirect(`/clerk/dossiers/${row.id}?done=${intent}`);
}

type DocumentSpec = { nameVi: string; nameEn: string; required: boolean };

function documentGroups(
  docs: DocumentSpec[],
  files: ReadonlyArray<{ id: string; document_index: number; file_name: string }>,
  lng: string,
) {
  const groups = docs.map((d, i) => ({
    name: lng === "en" ? d.nameEn : d.nameVi,
    required: d.required,
    files: files.filter((f) => f.document_index === i).map((f) => ({ id: f.id, name: f.file_name })),
  }));
  const other = files.filter((f) => f.document_index < 0 || f.document_index >= docs.length);
  if (other.length > 0) {
    groups.push({ name: "", required: false, files: other.map((f) => ({ id: f.id, name: f.file_name })) });
  }
  return groups;
}

type Preview = {
  decision: {
    number: string;
    registerBook?: string;
    registerPage?: string;
    signerName: string;
    signerTitle: string;
    decidedOn: string;
  };
  attachment: { sha256: string; name: string; token: string } | null;
  resultName: string;
  agencyName: string;
  rows: Array<{ labelVi: string; labelEn: string; value: string }>;
  decisionRows: Array<{ labelVi: string; labelEn: string; value: string }>;
  missing: string[];
};

/**
 * "Hoàn thành xử lý" (issue 14): the decision form (number, register book and page for civil status,
 * signer, date, an optional decision PDF), posted for a preview of the result; the preview's own form
 * confirms it.
 */
function DecisionForm({
  version,
  register,
  errors,
  values,
  preview,
}: {
  version: number;
  register: boolean;
  errors: Record<string, string>;
  values: Record<string, string>;
  preview: Preview | null;
}) {
  const { t, i18n } = useTranslation("documents");
  const d = preview?.decision;
  const value = (name: string, fromPreview: string | undefined) => values[name] ?? fromPreview ?? "";
  const en = i18n.language === "en";
  return (
    <section className="decision" aria-labelledby="decision-title">
      <h3 id="decision-title">{t("decision.title")}</h3>
      {preview ? (
        <div className="notice" data-testid="result-preview">
          <h4>{t("decision.previewTitle")}</h4>
          <p className="hint">{t("decision.previewIntro")}</p>
          <p className="caption">{preview.agencyName}</p>
          <p>
            <strong>{preview.resultName}</strong>
          </p>
          <dl className="summary-list">
            {[...preview.rows, ...preview.decisionRows].map((r) => (
              <div key={`${r.labelVi}-${r.value}`}>
                <dt>{en ? r.labelEn : r.labelVi}</dt>
                <dd>{r.value}</dd>
              </div>
            ))}
          </dl>
          {preview.missing.length > 0 ? (
            <p className="hint">{t("decision.missing", { fields: preview.missing.join(", ") })}</p>
          ) : null}
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="version" value={version} />
            <input type="hidden" name="decisionNumber" value={preview.decision.number} />
            <input type="hidden" name="signerName" value={preview.decision.signerName} />
            <input type="hidden" name="signerTitle" value={preview.decision.signerTitle} />
            <input type="hidden" name="decidedOn" value={preview.decision.decidedOn} />
            {preview.decision.registerBook !== undefined ? (
              <input type="hidden" name="registerBook" value={preview.decision.registerBook} />
            ) : null}
            {preview.decision.registerPage !== undefined ? (
              <input type="hidden" name="registerPage" value={preview.decision.registerPage} />
            ) : null}
            {preview.attachment ? (
              <>
                <p>{t("decision.attachmentKept", { name: preview.attachment.name })}</p>
                <input type="hidden" name="attachmentSha256" value={preview.attachment.sha256} />
                <input type="hidden" name="attachmentName" value={preview.attachment.name} />
                <input type="hidden" name="attachmentToken" value={preview.attachment.token} />
              </>
            ) : null}
            <button type="submit" name="intent" value="resolve" className="button">
              {t("dossier:clerkAction.resolve")}
            </button>
          </Form>
        </div>
      ) : (
        <p className="hint">{t("decision.intro")}</p>
      )}
      <Form method="post" encType="multipart/form-data" className="action-form">
        <CsrfInput />
        <input type="hidden" name="version" value={version} />
        <TextField
          name="decisionNumber"
          label={t("decision.number")}
          defaultValue={value("decisionNumber", d?.number)}
          error={errors.decisionNumber}
          maxLength={50}
        />
        {register ? (
          <>
            <TextField
              name="registerBook"
              label={t("decision.registerBook")}
              defaultValue={value("registerBook", d?.registerBook)}
              error={errors.registerBook}
              maxLength={50}
            />
            <TextField
              name="registerPage"
              label={t("decision.registerPage")}
              defaultValue={value("registerPage", d?.registerPage)}
              error={errors.registerPage}
              maxLength={20}
            />
          </>
        ) : null}
        <TextField
          name="signerName"
          label={t("decision.signerName")}
          defaultValue={value("signerName", d?.signerName)}
          error={errors.signerName}
          maxLength={100}
        />
        <TextField
          name="signerTitle"
          label={t("decision.signerTitle")}
          defaultValue={value("signerTitle", d?.signerTitle)}
          error={errors.signerTitle}
          maxLength={100}
        />
        <TextField
          name="decidedOn"
          type="date"
          label={t("decision.decidedOn")}
          defaultValue={value("decidedOn", d?.decidedOn)}
          error={errors.decidedOn}
        />
        <TextField
          name="attachment"
          type="file"
          accept="application/pdf"
          label={t("decision.attachment")}
          hint={t("decision.attachmentHint")}
          error={errors.attachment}
        />
        <button type="submit" name="intent" value="preview_resolve" className="button button--secondary">
          {t("decision.preview")}
        </button>
      </Form>
    </section>
  );
}

function ActionForm({
  action,
  version,
  feeVnd,
  agencies,
}: {
  action: (typeof CLERK_ACTIONS)[number];
  version: number;
  feeVnd: number;
  agencies: Array<{ code: string; name: string }>;
}) {
  const { t } = useTranslation("dossier");
  return (
    <Form method="post" className="action-form">
      <CsrfInput />
      <input type="hidden" name="version" value={version} />
      {action === "refuse" || action === "stop" || action === "waive_fee" ? (
        <div className="form-group">
          <label className="label" htmlFor={`reason-${action}`}>
            {t(action === "waive_fee" ? "clerkAction.waiveReason" : "clerkAction.reason")}
          </label>
          {action === "waive_fee" ? (
            <div className="hint" id="reason-waive_fee-hint">
              {t("clerkAction.waiveReasonHint")}
            </div>
          ) : null}
          <textarea
            id={`reason-${action}`}
            name="reason"
            rows={2}
            maxLength={2000}
            aria-describedby={action === "waive_fee" ? "reason-waive_fee-hint" : undefined}
          />
        </div>
      ) : null}
      {action === "request_supplement" ? (
        <div className="form-group">
          <label className="label" htmlFor="missingDocuments">
            {t("clerkAction.missingDocuments")}
          </label>
          <div className="hint" id="missingDocuments-hint">
            {t("clerkAction.missingDocumentsHint")}
          </div>
          <textarea id="missingDocuments" name="missingDocuments" rows={3} aria-describedby="missingDocuments-hint" />
        </div>
      ) : null}
      {action === "transfer" ? (
        <div className="form-group">
          <label className="label" htmlFor="toAgencyCode">
            {t("clerkAction.toAgency")}
          </label>
          <select id="toAgencyCode" name="toAgencyCode" defaultValue="">
            <option value="">{t("form.choose")}</option>
            {agencies.map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {action === "request_payment" ? (
        <div className="form-group">
          <label className="label" htmlFor="amountVnd">
            {t("clerkAction.amount")}
          </label>
          <input
            id="amountVnd"
            name="amountVnd"
            className="input"
            inputMode="numeric"
            defaultValue={feeVnd > 0 ? String(feeVnd) : ""}
          />
        </div>
      ) : null}
      <button
        type="submit"
        name="intent"
        value={action}
        className={
          action === "refuse" || action === "stop"
            ? "button button--warning"
            : action === "waive_fee"
              ? "button button--secondary"
              : "button"
        }
      >
        {t(`clerkAction.${action}`)}
      </button>
    </Form>
  );
}

export default function ClerkDossier() {
  const {
    dossier: d,
    answers,
    documents,
    timeline,
    actions,
    apology,
    canApologise,
    clerks,
    claimedBy,
    lastActor,
    me,
    agencies,
    steps,
    payments,
    fee,
    resultRegister,
    hasResultPdf,
    citizenSignature,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && "errors" in actionData ? actionData : undefined;
  const preview = actionData && "preview" in actionData ? (actionData.preview as Preview) : null;
  const { t } = useTranslation("dossier");
  const [search] = useSearchParams();
  const done = actionData ? null : search.get("done");
  const doneLabel =
    done === "payment"
      ? t("payment.counterSubmit")
      : done === "assign"
        ? t("assign.submit")
        : done === "apologise"
          ? t("apology.submit")
          : done && (CLERK_ACTIONS as readonly string[]).includes(done)
            ? t(`clerkAction.${done}`)
            : null;
  return (
    <>
      <ErrorSummary errors={failed?.errors} formError={failed?.formError} />
      {doneLabel ? (
        <div className="notice notice--success" role="status">
          <p>{t("clerkAction.done", { action: doneLabel, status: t(`status.${d.status}`) })}</p>
        </div>
      ) : null}
      <p>
        <Link to="/clerk">{t("clerkAction.back")}</Link>
      </p>
      <span className="caption">{d.procedure}</span>
      <h1>{t("page.title", { code: d.code })}</h1>
      <DossierSummary d={d} fee={fee} />
      <h2>{t("contact.title")}</h2>
      <ContactSummary contact={d.contact} />
      <h2>{t("form.detailsTitle")}</h2>
      <dl className="summary-list">
        {answers.map((a) => (
          <div key={a.name}>
            <dt>{a.label}</dt>
            <dd>{a.value || "—"}</dd>
          </div>
        ))}
      </dl>
      {hasResultPdf ? (
        <p>
          <a href={`/clerk/dossiers/${d.id}/result.pdf`} download>
            {t("documents:decision.resultDownload")}
          </a>
        </p>
      ) : null}
      <CitizenSignature dossierId={d.id} verdict={citizenSignature} />
      <DossierFiles dossierId={d.id} documents={documents} />
      {fee?.canPayNow ? <CounterPayment version={d.version} /> : null}
      <PaymentList payments={payments} />
      <Assignment version={d.version} claimedBy={claimedBy} lastActor={lastActor} clerks={clerks} me={me} />
      <h2>{t("clerkAction.title")}</h2>
      {actions.length === 0 ? <p>{t("clerkAction.none")}</p> : null}
      <div className="action-list">
        {actions.map((a) =>
          a === "resolve" ? (
            <DecisionForm
              key={a}
              version={d.version}
              register={resultRegister}
              errors={failed?.errors ?? {}}
              values={failed?.values ?? {}}
              preview={preview}
            />
          ) : (
            <ActionForm key={a} action={a} version={d.version} feeVnd={d.feeVnd} agencies={agencies} />
          ),
        )}
      </div>
      <ApologySection apology={apology} canApologise={canApologise} version={d.version} />

      {steps.length > 0 ? <StepSharesTable variant="summary" steps={steps} /> : null}

      <Timeline timeline={timeline} />
    </>
  );
}
