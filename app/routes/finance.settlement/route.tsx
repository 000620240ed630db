import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextAreaField, TextField } from "../../components/ui/field.tsx";
import { isUuid } from "../../domain/ids/uuid.ts";
import { MAX_NOTE_LENGTH } from "../../domain/settlement/compare.ts";
import { db } from "../../server/db.server.ts";
import { failure, fieldFailure, formFailure, readForm, validateForm } from "../../server/form.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { requireFinance } from "../../server/payments/finance-access.server.ts";
import {
  importSettlement,
  listMismatches,
  listSettlementRuns,
  resolveMismatch,
  SettlementError,
  settlementDateProblem,
  yesterdayInVietnam,
} from "../../server/payments/settlement.server.ts";
import { formatDateTime, formatVnd } from "../../utils/format.ts";

export const handle = { i18n: ["finance", "validation"] };

const ImportSchema = z.object({
  date: z
    .string({ error: "finance:settlement.problems.date" })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "finance:settlement.problems.date"),
});
const ResolveSchema = z.object({
  mismatchId: z.string({ error: "finance:errors.mismatchNotFound" }).refine(isUuid, "finance:errors.mismatchNotFound"),
  note: z
    .string({ error: "finance:errors.note" })
    .trim()
    .min(1, "finance:errors.note")
    .max(MAX_NOTE_LENGTH, "finance:errors.note"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireFinance(request);
  const t = await getT(request, "finance");
  const url = new URL(request.url);
  const now = new Date();
  const asked = url.searchParams.get("date") ?? "";
  const dateProblem = asked ? settlementDateProblem(asked, now) : null;
  const date = asked && !dateProblem ? asked : undefined;
  const [runs, mismatches] = await Promise.all([
    listSettlementRuns(db, user.scope),
    listMismatches(db, user.scope, { date, now }),
  ]);
  const imported = url.searchParams.get("imported");
  return data(
    {
      title: t("settlement.title"),
      date: date ?? null,
      problem: dateProblem,
      defaultDate: yesterdayInVietnam(now),
      imported: imported && runs.some((r) => r.date === imported) ? imported : null,
      resolved: url.searchParams.get("resolved") === "1",
      runs: runs.map((r) => ({
        ...r,
        importedAt: r.importedAt?.toISOString() ?? null,
        lastAttemptAt: r.lastAttemptAt.toISOString(),
      })),
      mismatches: mismatches.map((m) => ({
        ...m,
        foundAt: m.foundAt.toISOString(),
        resolvedAt: m.resolvedAt?.toISOString() ?? null,
      })),
    },
    { status: dateProblem ? 400 : 200, headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireFinance(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const now = new Date();
  if (intent === "import") {
    const result = validateForm(ImportSchema, formData);
    if (!result.ok) return failure(context, result);
    const problem = settlementDateProblem(result.value.date, now);
    if (problem) return failure(context, fieldFailure(formData, "date", problem));
    const imported = await importSettlement(db, result.value.date, now, { actorId: user.id });
    if (!imported.ok)
      return failure(context, fieldFailure(formData, "date", `finance:settlement.problems.${imported.problem}`), 422);
    return redirect(`/finance/settlement?date=${imported.date}&imported=${imported.date}`);
  }
  if (intent === "resolve") {
    const result = validateForm(ResolveSchema, formData);
    const id = String(formData.get("mismatchId") ?? "");
    const field = isUuid(id) ? `note-${id}` : "note";
    if (!result.ok) return failure(context, fieldFailure(formData, field, Object.values(result.errors)[0] ?? ""));
    try {
      await resolveMismatch(
        db,
        { mismatchId: result.value.mismatchId, note: result.value.note, actor: { id: user.id, scope: user.scope } },
        now,
      );
    } catch (error) {
      if (error instanceof SettlementError) {
        const status = error.code === "finance:errors.alreadyResolved" ? 409 : 404;
        return failure(context, fieldFailure(formData, field, error.code), status);
      }
      throw error;
    }
    const back = String(formData.get("date") ?? "");
    return redirect(`/finance/settlement?${/^\d{4}-\d{2}-\d{2}$/.test(back) ? `date=${back}&` : ""}resolved=1`);
  }
  return failure(context, formFailure(formData, "finance:errors.unknownIntent"));
}

export default function Settlement() {
  const { date, problem, defaultDate, imported, resolved, runs, mismatches } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("finance");
  const lng = i18n.language;
  const errors = actionData?.errors;
  const values = actionData?.values;
  const money = (v: number | null) => (v === null ? "—" : formatVnd(v, lng));
  const csv = `/finance/settlement.csv${date ? `?date=${date}` : ""}`;
  return (
    <>
      <ErrorSummary errors={errors} formError={actionData?.formError ?? problem ?? undefined} />
      <p>
        <Link to="/finance">{t("back")}</Link>
      </p>
      <h1>{t("settlement.title")}</h1>
      <p className="lead">{t("settlement.intro")}</p>
      {imported && !actionData ? (
        <p className="notice notice--success" role="status">
          {t("settlement.imported", { date: imported })}
        </p>
      ) : null}
      {resolved && !actionData ? (
        <p className="notice notice--success" role="status">
          {t("settlement.resolvedNotice")}
        </p>
      ) : null}

      <h2>{t("settlement.importTitle")}</h2>
      {/* A full-page post: a refused date comes back as a server-rendered page titled "Lỗi: …". */}
      <Form method="post" noValidate className="narrow" reloadDocument>
        <CsrfInput />
        <TextField
          name="date"
          type="date"
          label={t("settlement.dateLabel")}
          hint={t("settlement.dateHint")}
          error={errors?.date}
          defaultValue={values?.date ?? date ?? defaultDate}
        />
        <button type="submit" name="intent" value="import" className="button">
          {t("settlement.importButton")}
        </button>
      </Form>

      <h2>{t("settlement.runsTitle")}</h2>
      {runs.length === 0 ? (
        <p>{t("settlement.noRuns")}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t("settlement.runsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("settlement.columns.date")}</th>
              <th scope="col">{t("settlement.columns.status")}</th>
              <th scope="col" className="num">
                {t("settlement.columns.lines")}
              </th>
              <th scope="col" className="num">
                {t("settlement.columns.payments")}
              </th>
              <th scope="col" className="num">
                {t("settlement.columns.refunds")}
              </th>
              <th scope="col">{t("settlement.columns.importedAt")}</th>
              <th scope="col" className="num">
                {t("settlement.columns.open")}
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <Link to={`/finance/settlement?date=${r.date}`} aria-current={r.date === date ? "page" : undefined}>
                    {r.date}
                  </Link>
                </th>
                <td>
                  <span className="tag">{t(`settlement.status.${r.status}`)}</span>
                  {r.lastError ? (
                    <p className="error-message">
                      {t("settlement.lastError", { at: formatDateTime(r.lastAttemptAt, lng) })}{" "}
                      {t(`settlement.problems.${r.lastError.split(":")[0]}`, { defaultValue: r.lastError })}
                    </p>
                  ) : null}
                </td>
                <td className="num">{r.lines}</td>
                <td className="num">{formatVnd(r.paymentsVnd, lng)}</td>
                <td className="num">{formatVnd(r.refundsVnd, lng)}</td>
                <td>{r.importedAt ? formatDateTime(r.importedAt, lng) : "—"}</td>
                <td className="num">{t("settlement.openOf", { open: r.open, total: r.mismatches })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{date ? t("settlement.mismatchesOfDay", { date }) : t("settlement.mismatchesTitle")}</h2>
      <p>
        {date ? (
          <>
            <Link to="/finance/settlement">{t("settlement.showOpen")}</Link>
            {" · "}
          </>
        ) : (
          <>{t("settlement.mismatchesIntro")} </>
        )}
        <a href={csv} download>
          {t("settlement.csv")}
        </a>
      </p>
      {mismatches.length === 0 ? (
        <p>{t("settlement.noMismatches")}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t("settlement.mismatchesCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("settlement.columns.date")}</th>
              <th scope="col">{t("settlement.columns.kind")}</th>
              <th scope="col">{t("settlement.columns.reference")}</th>
              <th scope="col" className="num">
                {t("settlement.columns.amountGateway")}
              </th>
              <th scope="col" className="num">
                {t("settlement.columns.amountPortal")}
              </th>
              <th scope="col">{t("settlement.columns.resolution")}</th>
            </tr>
          </thead>
          <tbody>
            {mismatches.map((m) => {
              const noteId = `note-${m.id}`;
              const noteError = errors?.[noteId];
              return (
                <tr key={m.id}>
                  <td>{m.date}</td>
                  <td>
                    {t(`settlement.kind.${m.kind}`)}
                    <br />
                    <span className="hint">{t(`settlement.lineType.${m.lineType}`)}</span>
                  </td>
                  <td>
                    <code>{m.txnRef}</code>
                    {m.dossierCode ? (
                      <>
                        <br />
                        {t("settlement.dossier", { code: m.dossierCode })}
                      </>
                    ) : null}
                    {m.paymentStatus ? (
                      <>
                        <br />
                        <span className="hint">
                          {t("settlement.paymentStatus", {
                            status: t(`paymentStatus.${m.paymentStatus}`, { defaultValue: m.paymentStatus }),
                          })}
                        </span>
                      </>
                    ) : null}
                  </td>
                  <td className="num">{money(m.amountGateway)}</td>
                  <td className="num">{money(m.amountPortal)}</td>
                  <td>
                    {m.resolvedAt ? (
                      <p>
                        {t("settlement.resolvedBy", {
                          name: m.resolvedByName ?? "—",
                          at: formatDateTime(m.resolvedAt, lng),
                        })}
                        <br />
                        {m.resolutionNote}
                      </p>
                    ) : (
                      <Form method="post" reloadDocument className="action-form">
                        <CsrfInput />
                        <input type="hidden" name="mismatchId" value={m.id} />
                        {date ? <input type="hidden" name="date" value={date} /> : null}
                        <TextAreaField
                          name="note"
                          id={noteId}
                          label={
                            <>
                              {t("settlement.noteLabel")}
                              <span className="visually-hidden"> — {m.txnRef}</span>
                            </>
                          }
                          error={noteError}
                          rows={2}
                          maxLength={MAX_NOTE_LENGTH}
                          defaultValue={values?.mismatchId === m.id ? values?.note : undefined}
                        />
                        <button type="submit" name="intent" value="resolve" className="button button--secondary">
                          {t("settlement.resolveButton")}
                          <span className="visually-hidden"> — {m.txnRef}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
