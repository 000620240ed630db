import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { IMPORT_COLUMNS } from "../../domain/imports/dossier-import.ts";
import { requireRole } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { failure } from "../../server/form.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { createImportRun, importMaxBytes, listImportRuns } from "../../server/imports/import-service.server.ts";
import { receiveImportUpload } from "../../server/imports/upload.server.ts";
import { formatDateTime } from "../../utils/format.ts";

// Live progress: the only page that loads the client framework (app/utils/hydration.ts).
export const handle = { i18n: ["imports", "validation"], hydrate: true };

const COMMAND = "npm run import:dossiers -- FILE.csv";

function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const t = await getT(request, "imports");
  const runs = await listImportRuns(db, 20);
  const queuedId = new URL(request.url).searchParams.get("queued");
  return {
    title: t("title"),
    maxSize: megabytes(importMaxBytes()),
    queuedFile: runs.find((r) => r.id === queuedId)?.fileName ?? null,
    active: runs.some((r) => r.status === "queued" || r.status === "running"),
    runs: runs.map((r) => ({
      id: r.id,
      fileName: r.fileName,
      size: megabytes(r.sizeBytes),
      via: r.via,
      startedByName: r.startedByName,
      createdAt: r.createdAt.toISOString(),
      status: r.status,
      totalRows: r.totalRows,
      processed: r.processed,
      imported: r.imported,
      skipped: r.skipped,
      failed: r.failed,
      hasReport: r.errorReportPath !== null,
      fileError: r.fileError,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireRole(request, ["admin"]);
  const upload = await receiveImportUpload(request);
  if (!upload.ok) {
    if (upload.problem === "csrf") {
      return failure(context, { ok: false, errors: {}, values: {}, formError: "validation:form.csrf" }, 403);
    }
    const status = upload.problem === "tooLarge" ? 413 : 400;
    return failure(context, { ok: false, errors: { file: `imports:errors.${upload.problem}` }, values: {} }, status);
  }
  await createImportRun(db, {
    id: upload.id,
    fileName: upload.fileName,
    sizeBytes: upload.sizeBytes,
    sourcePath: upload.filePath,
    via: "web",
    locale: await getLanguage(request),
    startedBy: admin.id,
  });
  return redirect(`/admin/imports?queued=${upload.id}`);
}

/** While a run is active, the page re-reads its data every few seconds (without JS: the refresh link). */
function useRefreshWhile(active: boolean) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (state === "idle") revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [active, revalidate, state]);
}

export default function AdminImports() {
  const { maxSize, queuedFile, active, runs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("imports");
  useRefreshWhile(active);
  const vars = { size: maxSize, command: COMMAND };
  const fileError = actionData?.errors?.file;
  const formError = actionData?.formError;

  return (
    <>
      <ErrorSummary errors={fileError ? { file: fileError } : undefined} formError={formError} values={vars} />
      <p>
        <Link to="/admin">{t("back")}</Link>
      </p>
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro")}</p>
      {queuedFile ? (
        <div className="notice notice--success" role="status">
          {t("queued", { file: queuedFile })}
        </div>
      ) : null}

      <h2>{t("uploadTitle")}</h2>
      <Form method="post" encType="multipart/form-data" reloadDocument noValidate className="narrow">
        <CsrfInput />
        <div className={`form-group${fileError ? " form-group--error" : ""}`}>
          <label className="label" htmlFor="file">
            {t("fileLabel")}
          </label>
          <div id="file-hint" className="hint">
            {t("fileHint", vars)}
          </div>
          {fileError ? (
            <p id="file-error" className="error-message">
              <span className="visually-hidden">{t("common:errors.prefix")}</span> {t(fileError, vars)}
            </p>
          ) : null}
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={fileError ? "file-hint file-error" : "file-hint"}
            aria-invalid={fileError ? true : undefined}
          />
        </div>
        <button type="submit" className="button">
          {t("submit")}
        </button>
      </Form>
      <p className="hint">{t("limit", vars)}</p>

      <h2>{t("formatTitle")}</h2>
      <p>{t("formatText")}</p>
      <p>
        <code>{IMPORT_COLUMNS.join(", ")}</code>
      </p>
      <p>{t("formatTimes")}</p>
      <p>{t("formatStopped")}</p>

      <h2>{t("runsTitle")}</h2>
      {active ? (
        <p>
          {t("autoRefresh")} <Link to="/admin/imports">{t("refresh")}</Link>
        </p>
      ) : null}
      {runs.length === 0 ? (
        <p>{t("empty")}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t("runsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("columns.file")}</th>
              <th scope="col">{t("columns.startedBy")}</th>
              <th scope="col">{t("columns.createdAt")}</th>
              <th scope="col">{t("columns.status")}</th>
              <th scope="col">{t("columns.progress")}</th>
              <th scope="col">{t("columns.result")}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const result = t("result", { imported: r.imported, skipped: r.skipped, failed: r.failed });
              return (
                <tr key={r.id}>
                  <td>
                    {r.fileName} <span className="hint">({r.size})</span>
                  </td>
                  <td>{r.startedByName ?? t("viaCli")}</td>
                  <td>{formatDateTime(r.createdAt, i18n.language)}</td>
                  <td>
                    <span className="tag">{t(`status.${r.status}`)}</span>
                  </td>
                  <td>
                    {r.totalRows === null ? (
                      r.status === "failed" ? (
                        "—"
                      ) : (
                        t("counting")
                      )
                    ) : (
                      <>
                        <progress
                          value={r.processed}
                          max={Math.max(r.totalRows, 1)}
                          aria-label={t("progressLabel", { file: r.fileName })}
                        />{" "}
                        {t("progressText", { processed: r.processed, total: r.totalRows })}
                      </>
                    )}
                  </td>
                  <td>
                    {r.status === "done" || r.status === "running" ? <p>{result}</p> : null}
                    {r.fileError ? (
                      <p className="error-message">{t(`fileErrors.${r.fileError.key}`, r.fileError.data)}</p>
                    ) : null}
                    {r.hasReport ? (
                      <a href={`/admin/imports/${r.id}/errors.csv`} download>
                        {t("downloadReport")}
                        <span className="visually-hidden"> — {r.fileName}</span>
                      </a>
                    ) : null}
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
