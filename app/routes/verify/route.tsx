import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { db } from "../../server/db.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { verifyResult } from "../../server/results/result-queries.server.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["dossier", "validation"], hydrate: false };

/** Public check of a result document by its verification code: who issued it, and whether it is intact. */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request, "dossier");
  const raw = new URL(request.url).searchParams.get("code");
  const base = { title: t("verify.title"), code: raw ?? "", result: null, errors: {} as Record<string, string> };
  if (raw === null) return base;
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z0-9]{10}$/.test(code)) return { ...base, errors: { code: "validation:verify.format" }, formFailed: true };
  const found = await verifyResult(db, code);
  if (!found) return { ...base, errors: { code: "validation:verify.notFound" }, formFailed: true };
  return { ...base, code, result: { ...found.payload, valid: found.valid, keyId: found.keyId } };
}

export default function Verify() {
  const { code, result, errors } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dossier");
  return (
    <div className="narrow">
      <ErrorSummary errors={errors} />
      <h1>{t("verify.title")}</h1>
      <p>{t("verify.intro")}</p>
      <Form method="get" noValidate>
        <TextField
          name="code"
          label={t("verify.code")}
          defaultValue={code}
          error={errors.code}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" className="button">
          {t("verify.submit")}
        </button>
      </Form>
      {result ? (
        <section aria-labelledby="verify-result" className={result.valid ? "panel-valid" : "panel-invalid"}>
          <h2 id="verify-result">{result.valid ? t("verify.valid") : t("verify.invalid")}</h2>
          <dl className="summary-list">
            <div>
              <dt>{t("verify.agency")}</dt>
              <dd>{result.agencyName}</dd>
            </div>
            <div>
              <dt>{t("verify.resultName")}</dt>
              <dd>{result.resultName}</dd>
            </div>
            <div>
              <dt>{t("receipt.procedure")}</dt>
              <dd>{result.procedureName}</dd>
            </div>
            <div>
              <dt>{t("receipt.code")}</dt>
              <dd>{result.dossierCode}</dd>
            </div>
            <div>
              <dt>{t("verify.issuedAt")}</dt>
              <dd>{formatDateTime(result.issuedAt, i18n.language)}</dd>
            </div>
            <div>
              <dt>{t("verify.key")}</dt>
              <dd>Ed25519 · {result.keyId}</dd>
            </div>
          </dl>
        </section>
      ) : null}
    </div>
  );
}
