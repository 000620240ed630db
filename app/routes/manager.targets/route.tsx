import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { Select } from "../../components/stats/scope-form.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { toVnDateString } from "../../domain/calendar/working-calendar.ts";
import { parseTargetPercent, TARGET_INDICATORS } from "../../domain/stats/forecast.ts";
import { agencySubtree } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { failure, fieldFailure, readForm, validateForm } from "../../server/form.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { requireManager } from "../../server/stats/manager-dashboard.server.ts";
import {
  ancestorsOf,
  removeTarget,
  setTarget,
  TargetOutsideScopeError,
  targetsOn,
} from "../../server/stats/targets.server.ts";
import { agencyNames, codesExistingIn } from "../../server/units/units.server.ts";
import { formatDateTime, formatDecimal } from "../../utils/format.ts";

export const handle = { i18n: ["stats", "auth", "validation"] };

const Agency = z
  .string({ error: "stats:errors.agency" })
  .trim()
  .min(1, "stats:errors.agency")
  .max(32, "stats:errors.agency");
const Indicator = z.enum(TARGET_INDICATORS, { error: "stats:errors.indicator" });

const SetTargetSchema = z.object({
  agency: Agency,
  indicator: Indicator,
  target: z
    .string({ error: "stats:errors.target" })
    .max(20, "stats:errors.target")
    .transform((v, ctx) => {
      const bp = parseTargetPercent(v);
      if (bp === null) {
        ctx.addIssue({ code: "custom", message: "stats:errors.target" });
        return z.NEVER;
      }
      return bp;
    }),
});
const RemoveTargetSchema = z.object({ agency: Agency, indicator: Indicator });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireManager(request);
  const [t, lng] = await Promise.all([getT(request, "stats"), getLanguage(request)]);
  const url = new URL(request.url);
  const [tree, ancestors] = await Promise.all([agencySubtree(db, user.agencyCode), ancestorsOf(db, user.agencyCode)]);
  const asked = url.searchParams.get("agency") ?? "";
  const agency = tree.some((a) => a.code === asked) ? asked : user.agencyCode;
  const ancestorCodes = new Set(ancestors.map((a) => a.code));
  const rows = await targetsOn(db, [...ancestorCodes, ...tree.map((a) => a.code)]);
  const nameOf = await agencyNames(db, lng);
  const todayDate = toVnDateString(new Date());
  const today = await codesExistingIn(db, todayDate, todayDate);
  return data(
    {
      title: t("targets.title"),
      agency,
      saved: url.searchParams.get("saved") === "1",
      problem: asked && asked !== agency ? "stats:errors.agency" : null,
      // Targets are for units as they are today (ADR 016): units that have ended are not offered.
      agencies: tree
        .filter((a) => today.has(a.code) || a.code === agency)
        .map((a) => ({ code: a.code, name: nameOf(a.code), depth: a.depth })),
      targets: rows.map((r) => ({
        agencyCode: r.agencyCode,
        agency: nameOf(r.agencyCode),
        indicator: r.indicator,
        percent: formatDecimal(r.targetBp / 100, lng, 2),
        setAt: r.setAt.toISOString(),
        inherited: ancestorCodes.has(r.agencyCode),
      })),
    },
    { status: asked && asked !== agency ? 403 : 200 },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireManager(request);
  const formData = await readForm(request);
  const remove = formData.get("intent") === "remove";
  const result = remove ? validateForm(RemoveTargetSchema, formData) : validateForm(SetTargetSchema, formData);
  if (!result.ok) return failure(context, result);
  const value = result.value as { agency: string; indicator: (typeof TARGET_INDICATORS)[number]; target?: number };
  try {
    if (remove) await removeTarget(db, user, { agencyCode: value.agency, indicator: value.indicator });
    else
      await setTarget(db, user, {
        agencyCode: value.agency,
        indicator: value.indicator,
        targetBp: value.target as number,
      });
  } catch (error) {
    if (error instanceof TargetOutsideScopeError)
      return failure(context, fieldFailure(formData, "agency", "stats:errors.agency"), 403);
    throw error;
  }
  return redirect(`/manager/targets?agency=${encodeURIComponent(value.agency)}&saved=1`);
}

export default function Targets() {
  const { agency, saved, problem, agencies, targets } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("stats");
  const errors = actionData?.errors;
  const values = actionData?.values;
  return (
    <>
      <ErrorSummary errors={errors} formError={actionData?.formError ?? problem ?? undefined} />
      <p>
        <Link to={`/manager?agency=${encodeURIComponent(agency)}`}>{t("drill.back")}</Link>
      </p>
      <h1>{t("targets.title")}</h1>
      {saved && !actionData ? (
        <p className="notice notice--success" role="status">
          {t("targets.saved")}
        </p>
      ) : null}
      <p>{t("targets.intro")}</p>

      <h2>{t("targets.setTitle")}</h2>
      {/* A full-page post, so a refused value comes back as a server-rendered page titled "Lỗi: …" (the
          client-side title update does not see action data on hydrated pages). */}
      <Form method="post" noValidate className="narrow" reloadDocument>
        <CsrfInput />
        <Select
          name="agency"
          label={t("targets.agency")}
          error={errors?.agency}
          defaultValue={values?.agency ?? agency}
        >
          {agencies.map((a) => (
            <option key={a.code} value={a.code}>
              {`${"\u00a0\u00a0".repeat(a.depth)}${a.name}`}
            </option>
          ))}
        </Select>
        <Select
          name="indicator"
          label={t("targets.indicator")}
          error={errors?.indicator}
          defaultValue={values?.indicator ?? "onTimeRate"}
        >
          {TARGET_INDICATORS.map((i) => (
            <option key={i} value={i}>
              {t(`indicator.${i}`)}
            </option>
          ))}
        </Select>
        <TextField
          name="target"
          label={t("targets.target")}
          hint={t("targets.targetHint")}
          error={errors?.target}
          defaultValue={values?.target}
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit" name="intent" value="set" className="button">
          {t("targets.save")}
        </button>
      </Form>

      <table className="table table--cards table--compact">
        <caption>{t("targets.listTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("targets.agency")}</th>
            <th scope="col">{t("targets.indicator")}</th>
            <th scope="col" className="num">
              {t("targets.minimum")}
            </th>
            <th scope="col">{t("targets.setAt")}</th>
            <th scope="col">{t("targets.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((r) => (
            <tr key={`${r.agencyCode}-${r.indicator}`}>
              <th scope="row" data-label={t("targets.agency")}>
                {r.agency}
              </th>
              <td data-label={t("targets.indicator")}>
                {t(`indicator.${r.indicator}`, { defaultValue: r.indicator })}
              </td>
              <td data-label={t("targets.minimum")} className="num">
                ≥ {r.percent}%
              </td>
              <td data-label={t("targets.setAt")}>{formatDateTime(r.setAt, i18n.language)}</td>
              <td data-label={t("targets.actions")}>
                {r.inherited ? (
                  t("targets.inherited")
                ) : (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="agency" value={r.agencyCode} />
                    <input type="hidden" name="indicator" value={r.indicator} />
                    <button
                      type="submit"
                      name="intent"
                      value="remove"
                      className="link-button"
                      aria-label={t("targets.removeLabel", {
                        indicator: t(`indicator.${r.indicator}`, { defaultValue: r.indicator }),
                        agency: r.agency,
                      })}
                    >
                      {t("targets.remove")}
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {targets.length === 0 ? <p>{t("targets.empty")}</p> : null}
    </>
  );
}
