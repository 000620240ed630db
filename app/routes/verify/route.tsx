import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { db } from "../../server/db.server.ts";
import { failure, fieldFailure, readForm } from "../../server/form.server.ts";
import { getT } from "../../server/i18n.server.ts";
import type { PdfCheck } from "../../server/results/pades.server.ts";
import { verificationTrust, verifyResult } from "../../server/results/result-queries.server.ts";
import { verifyUploadedPdf } from "../../server/signing/citizen-signing.server.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["dossier", "validation", "documents"], hydrate: false };

/** Uploads larger than this are not results of the portal (a result is ~40 KB plus an attached decision). */
const MAX_VERIFY_PDF_BYTES = 10 * 1024 * 1024;

/** What the public page may show of a signature check: no content of the document, only the signature. */
function publicCheck(check: Extract<PdfCheck, { ok: true }>) {
  return {
    valid: check.valid,
    intact: check.intact,
    signatureValid: check.signatureValid,
    chainTrusted: check.chainTrusted,
    revokedAtSigning: check.revokedAtSigning,
    revokedAt: check.revokedAt,
    signedAt: check.signedAt,
    signer: check.signer,
  };
}

/** Public check of a result document by its verification code: who issued it, and whether it is intact. */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request, "dossier");
  const raw = new URL(request.url).searchParams.get("code");
  const trust = await verificationTrust();
  const base = {
    title: t("verify.title"),
    code: raw ?? "",
    result: null,
    demoCa: trust.demo,
    errors: {} as Record<string, string>,
  };
  if (raw === null) return base;
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z0-9]{10}$/.test(code)) return { ...base, errors: { code: "validation:verify.format" }, formFailed: true };
  const found = await verifyResult(db, code);
  if (!found) return { ...base, errors: { code: "validation:verify.notFound" }, formFailed: true };
  const p = found.payload;
  return {
    ...base,
    code,
    result: {
      format: found.format,
      agencyName: p.agencyName,
      resultName: p.resultName,
      procedureName: p.procedureName,
      dossierCode: p.dossierCode,
      issuedAt: p.issuedAt,
      valid: found.valid,
      keyId: found.keyId,
      pdf: found.pdfCheck?.ok ? publicCheck(found.pdfCheck) : null,
    },
  };
}

/** An uploaded PDF (multipart): its signature is checked against the configured trust anchor and CRL. */
export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const file = formData.get("pdf");
  if (!(file instanceof File) || file.size === 0)
    return failure(context, fieldFailure(formData, "pdf", "documents:errors.upload.missing"));
  if (file.size > MAX_VERIFY_PDF_BYTES)
    return failure(context, fieldFailure(formData, "pdf", "documents:errors.upload.tooLarge"));
  // Results chain to the agency's CA; citizens' signed declarations to the citizens' CA (ADR 018).
  const check = await verifyUploadedPdf(new Uint8Array(await file.arrayBuffer()));
  if (!check.ok)
    return failure(context, fieldFailure(formData, "pdf", `documents:errors.upload.${check.problem}`), 422);
  return { ok: true as const, fileName: file.name.slice(0, 120), check: publicCheck(check) };
}

type Check = ReturnType<typeof publicCheck>;

function SignatureReport({ check }: { check: Check }) {
  const { t, i18n } = useTranslation("documents");
  const yesNo = (v: boolean) => (v ? t("verify.yes") : t("verify.no"));
  return (
    <dl className="summary-list" data-testid="signature-report">
      <div>
        <dt>{t("verify.intact")}</dt>
        <dd>{yesNo(check.intact)}</dd>
      </div>
      <div>
        <dt>{t("verify.signature")}</dt>
        <dd>{yesNo(check.signatureValid)}</dd>
      </div>
      <div>
        <dt>{t("verify.chain")}</dt>
        <dd>{yesNo(check.chainTrusted)}</dd>
      </div>
      <div>
        <dt>{t("verify.revocation")}</dt>
        <dd>
          {check.revokedAtSigning === null ? t("verify.revocationUnknown") : yesNo(!check.revokedAtSigning)}
          {check.revokedAt ? ` (${t("verify.revokedAt")}: ${formatDateTime(check.revokedAt, i18n.language)})` : ""}
        </dd>
      </div>
      <div>
        <dt>{t("verify.signer")}</dt>
        <dd>{check.signer.subject}</dd>
      </div>
      <div>
        <dt>{t("verify.issuer")}</dt>
        <dd>{check.signer.issuer}</dd>
      </div>
      <div>
        <dt>{t("verify.serial")}</dt>
        <dd>
          <code>{check.signer.serialNumber}</code>
        </dd>
      </div>
      <div>
        <dt>{t("verify.fingerprint")}</dt>
        <dd>
          <code className="break-all">{check.signer.fingerprint}</code>
        </dd>
      </div>
      {check.signedAt ? (
        <div>
          <dt>{t("verify.signedAt")}</dt>
          <dd>{formatDateTime(check.signedAt, i18n.language)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

export default function Verify() {
  const { code, result, errors, demoCa } = useLoaderData<typeof loader>();
  const uploaded = useActionData<typeof action>();
  const uploadErrors = uploaded && "errors" in uploaded ? uploaded.errors : undefined;
  const uploadCheck = uploaded && "check" in uploaded ? uploaded.check : null;
  const { t, i18n } = useTranslation("dossier");
  const { t: td } = useTranslation("documents");
  return (
    <div className="narrow">
      <ErrorSummary errors={uploadErrors ?? errors} />
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
            {result.format === "ed25519-html" ? (
              <div>
                <dt>{t("verify.key")}</dt>
                <dd>Ed25519 · {result.keyId}</dd>
              </div>
            ) : null}
          </dl>
          {result.pdf ? <SignatureReport check={result.pdf} /> : null}
        </section>
      ) : null}

      <h2 id="upload-title">{td("verify.uploadTitle")}</h2>
      <Form method="post" encType="multipart/form-data" aria-labelledby="upload-title">
        <CsrfInput />
        <TextField
          name="pdf"
          type="file"
          accept="application/pdf"
          label={td("verify.uploadLabel")}
          error={uploadErrors?.pdf}
        />
        <button type="submit" className="button">
          {td("verify.uploadSubmit")}
        </button>
      </Form>
      {uploadCheck ? (
        <section aria-labelledby="upload-result" className={uploadCheck.valid ? "panel-valid" : "panel-invalid"}>
          <h2 id="upload-result">{uploadCheck.valid ? td("verify.pdfValid") : td("verify.pdfInvalid")}</h2>
          <SignatureReport check={uploadCheck} />
        </section>
      ) : null}
      {demoCa ? (
        <p className="hint">
          <a href="/pki/demo-ca.crt">{td("verify.rootLink")}</a> · <a href="/pki/demo-ca.crl">{td("verify.crlLink")}</a>
        </p>
      ) : null}
    </div>
  );
}
