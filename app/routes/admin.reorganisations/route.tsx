/**
 * Reorganisations of units (issue 12; ADR 017): the list, and the admin's "apply" that runs
 * applyReorganisation once, at or after the effective date. Admins only, checked in the loader and the action.
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { requirePermission } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { failure, formFailure, readForm } from "../../server/form.server.ts";
import { getT } from "../../server/i18n.server.ts";
import {
  applyReorganisation,
  listReorganisations,
  ReorganisationNotFoundError,
  ReorganisationNotYetEffectiveError,
  type ReorganisationSummary,
} from "../../server/units/reorganisation.server.ts";
import { formatDate, formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["units", "auth", "validation"] };

const SUMMARY_KEYS: (keyof ReorganisationSummary)[] = [
  "abolishedUnits",
  "dossiersMoved",
  "dossiersByAddress",
  "dossiersQueued",
  "proceduresMoved",
  "staffReassigned",
  "staffDisabled",
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:catalogue:any");
  const t = await getT(request, "units");
  const rows = await listReorganisations(db);
  const done = new URL(request.url).searchParams.get("done");
  return {
    title: t("reorg.title"),
    done: done === "applied" || done === "already" ? done : null,
    rows: rows.map((r) => ({ ...r, applied_at: r.applied_at ? r.applied_at.toISOString() : null })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manage:catalogue:any");
  const formData = await readForm(request);
  if (formData.get("intent") !== "apply") return failure(context, formFailure(formData, "units:reorg.errors.intent"));
  const code = formData.get("code");
  if (typeof code !== "string" || code.length === 0 || code.length > 100) {
    return failure(context, formFailure(formData, "units:reorg.errors.code"));
  }
  try {
    const result = await applyReorganisation(db, code, { userId: admin.id, role: "admin" });
    return redirect(`/admin/reorganisations?done=${result.applied ? "applied" : "already"}`);
  } catch (error) {
    if (error instanceof ReorganisationNotFoundError) {
      return failure(context, formFailure(formData, "units:reorg.errors.code"));
    }
    if (error instanceof ReorganisationNotYetEffectiveError) {
      return failure(context, formFailure(formData, "units:reorg.errors.notYetEffective"), 409);
    }
    throw error;
  }
}

export default function Reorganisations() {
  const { rows, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("units");
  const lng = i18n.language;
  return (
    <>
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      <p>
        <Link to="/admin">{t("reorg.back")}</Link>
      </p>
      <h1>{t("reorg.title")}</h1>
      {done ? (
        <p className="notice" role="status">
          {t(done === "applied" ? "reorg.applied" : "reorg.alreadyApplied")}
        </p>
      ) : null}
      <p>{t("reorg.intro")}</p>
      <table className="table">
        <caption>{t("reorg.tableTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("reorg.name")}</th>
            <th scope="col">{t("reorg.effective")}</th>
            <th scope="col">{t("reorg.legalBasis")}</th>
            <th scope="col">{t("reorg.units")}</th>
            <th scope="col">{t("reorg.status")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const name = lng === "en" ? r.name_en : r.name_vi;
            return (
              <tr key={r.code}>
                <td>{name}</td>
                <td>{formatDate(r.effective_on, lng)}</td>
                <td>{r.legal_basis}</td>
                <td>{t("reorg.unitsValue", { abolished: r.abolished, created: r.created })}</td>
                <td>
                  {r.applied_at ? (
                    t("reorg.appliedAt", { at: formatDateTime(r.applied_at, lng) })
                  ) : (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="code" value={r.code} />
                      <button
                        type="submit"
                        name="intent"
                        value="apply"
                        className="button"
                        aria-label={t("reorg.applyLabel", { name })}
                      >
                        {t("reorg.apply")}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows
        .filter((r) => r.applied_at)
        .map((r) => (
          <section key={r.code} aria-labelledby={`summary-${r.code}`}>
            <h2 id={`summary-${r.code}`}>
              {t("reorg.summaryTitle")}: {lng === "en" ? r.name_en : r.name_vi}
            </h2>
            <dl className="summary-list">
              {SUMMARY_KEYS.map((k) => (
                <div key={k}>
                  <dt>{t(`reorg.summary.${k}`)}</dt>
                  <dd>{r.summary[k] ?? 0}</dd>
                </div>
              ))}
            </dl>
            <p>{t("reorg.pendingChoices", { count: r.pendingChoices })}</p>
          </section>
        ))}
    </>
  );
}
