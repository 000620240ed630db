import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { isRealDate } from "../../domain/calendar/iso-date.ts";
import { requirePermission } from "../../server/auth.server.ts";
import { addCalendarDay, calendarDaysOfYear, removeCalendarDay } from "../../server/calendar/calendar-admin.server.ts";
import { db } from "../../server/db.server.ts";
import { failure, fieldFailure, readForm, validateForm } from "../../server/form.server.ts";
import { getT } from "../../server/i18n.server.ts";

export const handle = { i18n: ["auth", "validation"] };

const DateSchema = z
  .string({ error: "validation:calendar.date" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "validation:calendar.date")
  .refine(isRealDate, "validation:calendar.date");

const AddSchema = z.object({
  date: DateSchema,
  kind: z.enum(["off", "work"], { error: "validation:calendar.kind" }),
  name: z.string().trim().min(1, "validation:calendar.name").max(100, "validation:calendar.name"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:calendar:any");
  const t = await getT(request, "auth");
  const raw = Number(new URL(request.url).searchParams.get("year"));
  const year = Number.isInteger(raw) && raw >= 2000 && raw <= 2100 ? raw : new Date().getFullYear();
  const days = await calendarDaysOfYear(db, year);
  return { title: t("calendar.title"), year, days };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manage:calendar:any");
  const formData = await readForm(request);
  if (formData.get("intent") === "remove") {
    const date = DateSchema.safeParse(formData.get("date"));
    if (!date.success) return failure(context, fieldFailure(formData, "date", "validation:calendar.date"));
    await removeCalendarDay(db, admin.id, date.data);
    return redirect(`/admin/calendar?year=${date.data.slice(0, 4)}`);
  }
  const result = validateForm(AddSchema, formData);
  if (!result.ok) return failure(context, result);
  const problem = await addCalendarDay(db, admin.id, result.value);
  if (problem)
    return failure(
      context,
      fieldFailure(formData, problem === "exists" ? "date" : "kind", `validation:calendar.${problem}`),
    );
  return redirect(`/admin/calendar?year=${result.value.date.slice(0, 4)}`);
}

export default function CalendarAdmin() {
  const { year, days } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  return (
    <>
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      <p>
        <Link to="/admin">{t("calendar.back")}</Link>
      </p>
      <h1>{t("calendar.title")}</h1>
      <p>{t("calendar.intro")}</p>
      <nav aria-label={t("calendar.years")} className="pagination">
        <Link to={`?year=${year - 1}`}>{year - 1}</Link>
        <strong aria-current="page">{year}</strong>
        <Link to={`?year=${year + 1}`}>{year + 1}</Link>
      </nav>
      <table className="table">
        <caption>{t("calendar.tableTitle", { year })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("calendar.date")}</th>
            <th scope="col">{t("calendar.kind")}</th>
            <th scope="col">{t("calendar.name")}</th>
            <th scope="col">{t("calendar.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.date}>
              <td>{d.date}</td>
              <td>{t(`calendar.kinds.${d.kind}`)}</td>
              <td>{d.name}</td>
              <td>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="date" value={d.date} />
                  <button
                    type="submit"
                    name="intent"
                    value="remove"
                    className="link-button"
                    aria-label={t("calendar.removeLabel", { date: d.date })}
                  >
                    {t("calendar.remove")}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {days.length === 0 ? <p>{t("calendar.empty")}</p> : null}
      <h2>{t("calendar.addTitle")}</h2>
      <Form method="post" noValidate className="narrow">
        <CsrfInput />
        <TextField
          name="date"
          type="date"
          label={t("calendar.date")}
          error={actionData?.errors?.date}
          defaultValue={actionData?.values?.date}
        />
        <div className={`form-group${actionData?.errors?.kind ? " form-group--error" : ""}`}>
          <label className="label" htmlFor="kind">
            {t("calendar.kind")}
          </label>
          {actionData?.errors?.kind ? <p className="error-message">{t(actionData.errors.kind)}</p> : null}
          <select id="kind" name="kind" defaultValue={actionData?.values?.kind ?? "off"}>
            <option value="off">{t("calendar.kinds.off")}</option>
            <option value="work">{t("calendar.kinds.work")}</option>
          </select>
        </div>
        <TextField
          name="name"
          label={t("calendar.name")}
          error={actionData?.errors?.name}
          defaultValue={actionData?.values?.name}
        />
        <button type="submit" name="intent" value="add" className="button">
          {t("calendar.add")}
        </button>
      </Form>
    </>
  );
}
