import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { cachedCatalogue } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { formatCount } from "../../utils/format.ts";

export const handle = { hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  const lng = await getLanguage(request);
  const t = await getT(request);
  const [fields, totals] = await Promise.all([cachedCatalogue.fieldsWithCounts(db, lng), cachedCatalogue.totals(db)]);
  return { title: t("home.title"), fields, totals };
}

export default function Home() {
  const { fields, totals } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatCount(v, i18n.language);
  return (
    <>
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.lead")}</p>
      <Form
        method="get"
        action="/procedures"
        className="filters home-search"
        role="search"
        aria-label={t("home.searchLabel")}
      >
        <div className="form-group">
          <label className="label" htmlFor="q">
            {t("home.searchLabel")}
          </label>
          <div className="hint" id="q-hint">
            {t("home.searchHint")}
          </div>
          <input id="q" name="q" type="search" className="input" maxLength={200} aria-describedby="q-hint" />
        </div>
        <button type="submit" className="button">
          {t("home.searchButton")}
        </button>
      </Form>
      <ul className="stat-list" aria-label={t("home.catalogueLabel")}>
        <li>
          <strong>{n(totals.total)}</strong> {t("home.totals.procedures")}
        </li>
        <li>
          <strong>{n(totals.full)}</strong> {t("home.totals.full")}
        </li>
        <li>
          <strong>{n(totals.partial)}</strong> {t("home.totals.partial")}
        </li>
      </ul>
      <h2>{t("home.fieldsTitle")}</h2>
      <ul className="field-list">
        {fields.map((f) => (
          <li key={f.code}>
            <Link to={`/procedures?field=${encodeURIComponent(f.code)}`}>{f.name}</Link>{" "}
            <span className="hint">({t("home.procedureCount", { count: f.procedures })})</span>
          </li>
        ))}
      </ul>
      <h2>{t("home.accountTitle")}</h2>
      <p>
        <Link to="/auth/register">{t("home.registerCta")}</Link> · <Link to="/auth/login">{t("home.signInCta")}</Link>
      </p>
    </>
  );
}
