import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { looksLikeDossierCode } from "../../domain/dossier/dossier-code.ts";
import { db } from "../../server/db.server.ts";
import { dossierByCodeAndNationalId } from "../../server/dossiers/dossier-queries.server.ts";
import { expectedDueAt } from "../../server/dossiers/dossier-view.server.ts";
import { readForm } from "../../server/form.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { hit, hitsSoFar } from "../../server/rate-limit.server.ts";
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

/** Failed look-ups allowed per dossier code and hour, from all addresses together (guessing an ID number). */
export const LOOKUP_FAILURES_PER_CODE = Number(process.env.LOOKUP_FAILURES_PER_CODE ?? 10);

/**
 * Public look-up by dossier code + the applicant's ID number, without signing in. Shows the status
 * and dates only: no name, no answers, no files. The question is a POST, so the ID number never lands
 * in a URL, the browser history or a server log; a GET only pre-fills the code (the receipt's QR code
 * links here with `?code=`). Throttled per address (server.ts) and per dossier code (here).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request, "dossier");
  const code = (new URL(request.url).searchParams.get("code") ?? "").slice(0, 40);
  return { title: t("lookup.title"), code };
}

type LookupAnswer = {
  code: string;
  errors: Record<string, string>;
  notFound?: boolean;
  tooMany?: boolean;
  result?: {
    code: string;
    status: string;
    procedure: string;
    agency: string;
    submittedAt: string | null;
    dueAt: string | null;
    expectedDueAt: string | null;
    returnedAt: string | null;
  };
};

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const code = String(formData.get("code") ?? "").slice(0, 40);
  const parsed = LookupSchema.safeParse({ code, nationalId: formData.get("nationalId") ?? "" });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    context.formFailed = true;
    return data<LookupAnswer>({ code, errors }, { status: 400 });
  }
  const failuresKey = `lookup-code:${parsed.data.code.toUpperCase()}`;
  if ((await hitsSoFar(db, failuresKey)) >= LOOKUP_FAILURES_PER_CODE) {
    context.formFailed = true;
    return data<LookupAnswer>({ code, errors: {}, tooMany: true }, { status: 429 });
  }
  const row = await dossierByCodeAndNationalId(db, parsed.data.code, parsed.data.nationalId);
  if (!row) {
    await hit(db, failuresKey, 60 * 60 * 1000);
    context.formFailed = true;
    return data<LookupAnswer>({ code, errors: {}, notFound: true }, { status: 404 });
  }
  const lng = await getLanguage(request);
  return data<LookupAnswer>({
    code,
    errors: {},
    result: {
      code: row.code ?? parsed.data.code,
      status: row.status,
      procedure: lng === "en" ? row.name_en : row.name_vi,
      agency: lng === "en" ? row.agency_name_en : row.agency_name_vi,
      submittedAt: row.submitted_at?.toISOString() ?? null,
      dueAt: row.due_at?.toISOString() ?? null,
      expectedDueAt: await expectedDueAt(row, new Date()),
      returnedAt: row.returned_at?.toISOString() ?? null,
    },
  });
}

export default function Lookup() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const code = answer?.code ?? loaded.code;
  const errors = answer?.errors ?? {};
  const result = answer?.result;
  const formError = answer?.tooMany
    ? "dossier:lookup.tooMany"
    : answer?.notFound
      ? "dossier:lookup.notFound"
      : undefined;
  const { t, i18n } = useTranslation("dossier");
  return (
    <div className="narrow">
      <ErrorSummary errors={errors} formError={formError} />
      <h1>{t("lookup.title")}</h1>
      <p>{t("lookup.intro")}</p>
      <Form method="post" noValidate>
        <CsrfInput />
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
              <dd>
                {result.dueAt
                  ? formatDateTime(result.dueAt, i18n.language)
                  : result.expectedDueAt
                    ? t("receipt.dueExpected", { date: formatDateTime(result.expectedDueAt, i18n.language) })
                    : "—"}
              </dd>
            </div>
          </dl>
        </section>
      ) : null}
    </div>
  );
}
