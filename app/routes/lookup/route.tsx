import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { looksLikeDossierCode } from "../../domain/dossier/dossier-code.ts";
import { db } from "../../server/db.server.ts";
import { dossierByCodeAndNationalId } from "../../server/dossiers/dossier-queries.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { NationalIdSchema } from "../../utils/auth-validation.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["dossier", "validation"], hydrate: false };

const LookupSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1, "validation:lookup.codeRequired")
    .max(40, "validation:lookup.codeFormat")
    .refine(looksLikeDossierCode, "validation:lookup.codeFormat"),
  nationalId: NationalIdSchema,
});

/**
 * Public look-up by dossier code + the applicant's ID number, without signing in. Shows the status
 * and dates only: no name, no answers, no files. A GET form, so it works from the receipt's QR code.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  const code = url.searchParams.get("code") ?? "";
  const nationalId = url.searchParams.get("nationalId");
  const base = { title: t("lookup.title"), code, errors: {} as Record<string, string>, result: null, notFound: false };
  if (nationalId === null) return base;
  const parsed = LookupSchema.safeParse({ code, nationalId });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    return { ...base, errors, formFailed: true };
  }
  const row = await dossierByCodeAndNationalId(db, parsed.data.code, parsed.data.nationalId);
  if (!row) return { ...base, notFound: true, formFailed: true };
  return {
    ...base,
    result: {
      code: row.code,
      status: row.status,
      procedure: lng === "en" ? row.name_en : row.name_vi,
      agency: lng === "en" ? row.agency_name_en : row.agency_name_vi,
      submittedAt: row.submitted_at?.toISOString() ?? null,
      dueAt: row.due_at?.toISOString() ?? null,
      returnedAt: row.returned_at?.toISOString() ?? null,
    },
  };
}

export default function Lookup() {
  const { code, errors, result, notFound } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dossier");
  return (
    <div className="narrow">
      <ErrorSummary errors={errors} formError={notFound ? "dossier:lookup.notFound" : undefined} />
      <h1>{t("lookup.title")}</h1>
      <p>{t("lookup.intro")}</p>
      <Form method="get" noValidate>
        <TextField
          name="code"
          label={t("lookup.code")}
          hint={t("lookup.codeHint")}
          defaultValue={code}
          error={errors.code}
          spellCheck={false}
        />
        <TextField
          name="nationalId"
          label={t("lookup.nationalId")}
          error={errors.nationalId}
          inputMode="numeric"
          autoComplete="off"
        />
        <button type="submit" className="button">
          {t("lookup.submit")}
        </button>
      </Form>
      {result ? (
        <section aria-labelledby="lookup-result">
          <h2 id="lookup-result">{t("lookup.resultTitle")}</h2>
          <dl className="summary-list">
            <div>
              <dt>{t("receipt.code")}</dt>
              <dd>{result.code}</dd>
            </div>
            <div>
              <dt>{t("receipt.procedure")}</dt>
              <dd>{result.procedure}</dd>
            </div>
            <div>
              <dt>{t("receipt.agency")}</dt>
              <dd>{result.agency}</dd>
            </div>
            <div>
              <dt>{t("receipt.status")}</dt>
              <dd>{t(`status.${result.status}`)}</dd>
            </div>
            <div>
              <dt>{t("receipt.submittedAt")}</dt>
              <dd>{result.submittedAt ? formatDateTime(result.submittedAt, i18n.language) : "—"}</dd>
            </div>
            <div>
              <dt>{t("receipt.dueAt")}</dt>
              <dd>{result.dueAt ? formatDateTime(result.dueAt, i18n.language) : t("receipt.dueAfterReception")}</dd>
            </div>
          </dl>
        </section>
      ) : null}
    </div>
  );
}
