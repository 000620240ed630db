import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pagination } from "../../components/pagination.tsx";
import { cachedCatalogue } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { LEVELS, ONLINE_KINDS } from "../../utils/catalogue-constants.ts";
import { parseCatalogueQuery } from "../../utils/catalogue-schema.ts";
import { formatVnd } from "../../utils/format.ts";

export const handle = { i18n: ["catalogue"], hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  const lng = await getLanguage(request);
  const t = await getT(request, "catalogue");
  const query = parseCatalogueQuery(new URL(request.url).searchParams);
  const [result, options] = await Promise.all([
    cachedCatalogue.search(db, query, lng),
    cachedCatalogue.filterOptions(db, lng),
  ]);
  return {
    title: t("list.title"),
    query,
    options,
    total: result.total,
    pageCount: Math.max(1, Math.ceil(result.total / query.pageSize)),
    items: result.items.map((p) => ({
      code: p.code,
      name: lng === "en" ? p.name_en : p.name_vi,
      agency: lng === "en" ? p.agency_name_en : p.agency_name_vi,
      field: lng === "en" ? p.field_name_en : p.field_name_vi,
      level: p.level,
      onlineKind: p.online_kind,
      amount: p.processing_amount,
      unit: p.processing_unit,
      feeVnd: p.fee_vnd,
    })),
  };
}

export default function Catalogue() {
  const { query, options, items, total, pageCount } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("catalogue");
  const location = useLocation();
  return (
    <>
      <h1>{t("list.title")}</h1>
      <Form method="get" className="filters" role="search" aria-label={t("list.searchLabel")}>
        <div className="form-group">
          <label className="label" htmlFor="q">
            {t("list.q.label")}
          </label>
          <div className="hint" id="q-hint">
            {t("list.q.hint")}
          </div>
          <input
            id="q"
            name="q"
            type="search"
            className="input"
            defaultValue={query.q ?? ""}
            aria-describedby="q-hint"
          />
        </div>
        <details className="filters__more" open={Boolean(query.field || query.level || query.agency || query.online)}>
          <summary>{t("list.moreFilters")}</summary>
          <div className="filters__grid">
            <div className="form-group">
              <label className="label" htmlFor="field">
                {t("list.field")}
              </label>
              <select id="field" name="field" defaultValue={query.field ?? ""}>
                <option value="">{t("list.all")}</option>
                {options.fields.map((f) => (
                  <option key={f.code} value={f.code}>
                    {f.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="form-group">
              <label className="label" htmlFor="level">
                {t("list.level")}
              </label>
              <select id="level" name="level" defaultValue={query.level ?? ""}>
                <option value="">{t("list.all")}</option>
                {LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`level.${l}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="form-group">
              <label className="label" htmlFor="agency">
                {t("list.agency")}
              </label>
              <select id="agency" name="agency" defaultValue={query.agency ?? ""}>
                <option value="">{t("list.all")}</option>
                {options.agencies.map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="form-group">
              <label className="label" htmlFor="online">
                {t("list.online")}
              </label>
              <select id="online" name="online" defaultValue={query.online ?? ""}>
                <option value="">{t("list.all")}</option>
                {ONLINE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`onlineKind.${k}.label`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </details>
        <button type="submit" className="button">
          {t("list.submit")}
        </button>
      </Form>
      <p role="status">{t("list.count", { count: total })}</p>
      {items.length === 0 ? <p>{t("list.none")}</p> : null}
      <ol className="result-list">
        {items.map((p) => (
          <li key={p.code}>
            <h2 className="result-list__title">
              <Link to={`/procedures/${encodeURIComponent(p.code)}`}>{p.name}</Link>
            </h2>
            <p className="result-list__meta">
              <span className={`tag tag--${p.onlineKind}`}>{t(`onlineKind.${p.onlineKind}.label`)}</span>{" "}
              {t("list.meta", { code: p.code, agency: p.agency, field: p.field })}
            </p>
            <p className="result-list__meta">
              {t(`unit.${p.unit}`, { count: p.amount })} ·{" "}
              {p.feeVnd > 0 ? formatVnd(p.feeVnd, i18n.language) : t("detail.free")}
            </p>
          </li>
        ))}
      </ol>
      <Pagination page={query.page} pageCount={pageCount} search={location.search} />
    </>
  );
}
