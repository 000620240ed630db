import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { PaymentList } from "../../components/payment-list.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import type { DossierStatus } from "../../domain/dossier/dossier.ts";
import { DossierDomainError } from "../../domain/dossier/dossier-errors.ts";
import { parseRating, ratingProblem } from "../../domain/dossier/rating.ts";
import { db } from "../../server/db.server.ts";
import { ownDossier } from "../../server/dossiers/citizen-access.server.ts";
import { citizenDossierView } from "../../server/dossiers/dossier-view.server.ts";
import { RatingNotPossibleError, rateDossier } from "../../server/dossiers/rating.server.ts";
import { actOnDossier, answerSupplement } from "../../server/dossiers/workflow-service.server.ts";
import { publicUrl } from "../../server/env.server.ts";
import { StorageFullError } from "../../server/files/file-store.server.ts";
import { failure, fieldFailure, formFailure, readForm, validateForm } from "../../server/form.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import {
  feeStatusOfDossier,
  PaymentNotPossibleError,
  startOnlinePayment,
} from "../../server/payments/payment-service.server.ts";
import { ApologyLetter, History, PayOnline, RatingSection, Receipt, SupplementAnswer, Withdraw } from "./sections.tsx";

export const handle = { i18n: ["dossier", "validation"] };

/**
 * What the citizen posts from this page: withdraw (with a reason), rate, pay, or answer a supplement request
 * (files and a note). A missing or malformed version reads as 0, which the workflow refuses as stale (409).
 */
const PostSchema = z.object({
  intent: z.string().optional(),
  version: z.coerce.number().int().catch(0),
  reason: z
    .string()
    .optional()
    .transform((v) => v?.slice(0, 2000) || undefined),
  note: z
    .string()
    .optional()
    .transform((v) => (v ?? "").slice(0, 2000)),
  rating: z.string().optional().transform(parseRating),
});

/** The citizen answers a supplement request with files (and a note), in one audited transaction. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, row } = await ownDossier(request, params.id);
  const formData = await readForm(request);
  const post = validateForm(PostSchema, formData);
  if (!post.ok) return failure(context, post);
  const { intent, version, reason, note, rating } = post.value;
  if (intent === "withdraw") {
    try {
      await actOnDossier(
        db,
        row.id,
        {
          action: "withdraw",
          input: { reason },
          expectedVersion: version,
        },
        { role: "citizen", userId: user.id },
        new Date(),
      );
    } catch (error) {
      if (error instanceof DossierDomainError) return failure(context, formFailure(formData, error.code), 409);
      throw error;
    }
    return redirect(`/dossiers/${row.id}?withdrawn=1`);
  }
  if (intent === "rate") {
    if (!rating) return failure(context, fieldFailure(formData, "rating", "validation:rating.required"));
    try {
      await rateDossier(db, user.id, row.id, rating, new Date());
    } catch (error) {
      if (error instanceof RatingNotPossibleError)
        return failure(context, formFailure(formData, `validation:rating.${error.problem}`), 409);
      throw error;
    }
    return redirect(`/dossiers/${row.id}?rated=1`);
  }
  if (intent === "pay") {
    try {
      const lng = await getLanguage(request);
      const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "127.0.0.1";
      return redirect(
        await startOnlinePayment(
          db,
          { id: user.id, fullName: user.fullName },
          row.id,
          ip,
          lng,
          new Date(),
          new URL(request.url).origin,
        ),
      );
    } catch (error) {
      if (error instanceof PaymentNotPossibleError) return failure(context, formFailure(formData, error.code), 409);
      throw error;
    }
  }
  const files = formData.getAll("files").filter((f): f is File => typeof f !== "string" && f.size > 0);
  try {
    const { problems } = await answerSupplement(
      db,
      user.id,
      row.id,
      { files, note, expectedVersion: version },
      new Date(),
    );
    if (problems.length > 0)
      return failure(context, fieldFailure(formData, "files", `validation:upload.${problems[0]}`));
  } catch (error) {
    if (error instanceof StorageFullError)
      return failure(context, fieldFailure(formData, "files", "validation:upload.storageFullRetry"), 503);
    if (error instanceof DossierDomainError) return failure(context, formFailure(formData, error.code), 409);
    throw error;
  }
  return redirect(`/dossiers/${row.id}?answered=1`);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { row } = await ownDossier(request, params.id);
  if (row.status === "draft") throw redirect(`/dossiers/${row.id}/edit`);
  const lng = await getLanguage(request);
  const t = await getT(request, "dossier");
  const url = new URL(request.url);
  const [view, fee] = await Promise.all([citizenDossierView(row, lng, publicUrl()), feeStatusOfDossier(db, row.id)]);
  return {
    title: t("page.title", { code: row.code }),
    submitted: url.searchParams.get("submitted") === "1",
    rated: url.searchParams.get("rated") === "1",
    rating: row.rating,
    canRate: ratingProblem(row.status as DossierStatus, row.rating) === null,
    version: row.version,
    view,
    // What can be paid now: a requested fee, or a fixed fee at filing (pay before the clerk asks).
    pay: fee?.canPayNow ? { amountVnd: fee.feeVnd, atFiling: !fee.requested } : null,
  };
}

export default function DossierPage() {
  const { view: d, submitted, version, rated, rating, canRate, pay } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("dossier");
  const request =
    d.status === "supplement_requested" ? d.timeline.findLast((e) => e.action === "request_supplement") : undefined;
  return (
    <>
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      {submitted ? (
        <div className="panel-confirmation" role="status">
          <h1>{t("receipt.title")}</h1>
          <p>
            {t("receipt.codeLabel")}
            <br />
            <strong className="dossier-code">{d.code}</strong>
          </p>
        </div>
      ) : (
        <>
          <span className="caption">{d.procedure}</span>
          <h1>{t("page.title", { code: d.code })}</h1>
        </>
      )}
      <Receipt d={d} />
      <PayOnline pay={pay} />
      <PaymentList payments={d.payments} />
      <RatingSection rated={rated} canRate={canRate} rating={rating} errors={actionData?.errors} />
      <Withdraw status={d.status} version={version} />
      <SupplementAnswer request={request} version={version} errors={actionData?.errors} />

      <ApologyLetter d={d} />
      {d.status === "returned" ? (
        <p>
          <Link to={`/dossiers/${d.id}/result`} className="button">
            {t("result.link")}
          </Link>
        </p>
      ) : null}

      <History d={d} />
      <p>
        <Link to="/dossiers">{t("page.back")}</Link>
      </p>
    </>
  );
}
