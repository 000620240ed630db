/**
 * The split-choice queue (issue 12; ADR 017): dossiers of a unit split between several new units whose
 * applicant's address named none of them. Only clerks of the province's public administration service
 * centre see it and choose; the choice hands the dossier over and is audited (chooseSuccessor).
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { SelectField } from "../../components/ui/field.tsx";
import { isUuid } from "../../domain/ids/uuid.ts";
import { requirePermission } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { failure, fieldFailure, formFailure, readForm } from "../../server/form.server.ts";
import { getT } from "../../server/i18n.server.ts";
import {
  ChoiceNotFoundError,
  chooseSuccessor,
  InvalidChoiceError,
  isServiceCentre,
  pendingChoices,
} from "../../server/units/reorganisation.server.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["units", "dossier", "validation"] };

async function requireServiceCentreClerk(request: Request) {
  const user = await requirePermission(request, "process:dossier:agency");
  if (!isServiceCentre(user.agencyCode)) throw new Response("Forbidden", { status: 403 });
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireServiceCentreClerk(request);
  const t = await getT(request, "units");
  return {
    title: t("choices.title"),
    done: new URL(request.url).searchParams.get("done") === "1",
    queue: await pendingChoices(db),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const clerk = await requireServiceCentreClerk(request);
  const formData = await readForm(request);
  if (formData.get("intent") !== "choose") return failure(context, formFailure(formData, "units:reorg.errors.intent"));
  const dossierId = formData.get("dossierId");
  const chosen = formData.get("agency");
  if (typeof dossierId !== "string" || !isUuid(dossierId)) {
    return failure(context, formFailure(formData, "units:choices.errors.notFound"));
  }
  if (typeof chosen !== "string" || chosen.length === 0 || chosen.length > 40) {
    return failure(context, fieldFailure(formData, `agency-${dossierId}`, "units:choices.errors.invalid"));
  }
  try {
    await chooseSuccessor(db, dossierId, chosen, { userId: clerk.id, agencyCode: clerk.agencyCode });
  } catch (error) {
    if (error instanceof ChoiceNotFoundError) {
      return failure(context, formFailure(formData, "units:choices.errors.notFound"), 409);
    }
    if (error instanceof InvalidChoiceError) {
      return failure(context, fieldFailure(formData, `agency-${dossierId}`, "units:choices.errors.invalid"));
    }
    throw error;
  }
  return redirect("/clerk/reorganisation?done=1");
}

export default function ChoiceQueue() {
  const { queue, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("units");
  const lng = i18n.language;
  const name = (a: { name_vi: string; name_en: string }) => (lng === "en" ? a.name_en : a.name_vi);
  return (
    <>
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      <h1>{t("choices.title")}</h1>
      {done ? (
        <p className="notice" role="status">
          {t("choices.done")}
        </p>
      ) : null}
      <p>{t("choices.intro")}</p>
      {queue.length === 0 ? <p>{t("choices.empty")}</p> : null}
      {queue.map((q) => {
        const code = q.dossierCode ?? q.dossierId;
        return (
          <section key={q.dossierId} className="card" aria-labelledby={`choice-${q.dossierId}`}>
            <h2 id={`choice-${q.dossierId}`}>{code}</h2>
            <dl className="summary-list">
              <div>
                <dt>{t("choices.applicant")}</dt>
                <dd>{q.applicantName}</dd>
              </div>
              <div>
                <dt>{t("choices.address")}</dt>
                <dd>{q.address || t("choices.noAddress")}</dd>
              </div>
              <div>
                <dt>{t("choices.from")}</dt>
                <dd>{name(q.predecessor)}</dd>
              </div>
              <div>
                <dt>{t("choices.due")}</dt>
                <dd>{q.dueAt ? formatDateTime(q.dueAt, lng) : "—"}</dd>
              </div>
            </dl>
            <Form method="post" className="narrow">
              <CsrfInput />
              <input type="hidden" name="dossierId" value={q.dossierId} />
              <SelectField
                name="agency"
                id={`agency-${q.dossierId}`}
                label={t("choices.chooseLabel", { code })}
                error={actionData?.errors?.[`agency-${q.dossierId}`]}
              >
                {/* No unit is preselected: the clerk chooses deliberately (an empty choice is refused). */}
                <option value="">{t("choices.placeholder")}</option>
                {q.candidates.map((c) => (
                  <option key={c.code} value={c.code}>
                    {name(c)}
                  </option>
                ))}
              </SelectField>
              <button type="submit" name="intent" value="choose" className="button">
                {t("choices.submit")}
              </button>
            </Form>
          </section>
        );
      })}
    </>
  );
}
