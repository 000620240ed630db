import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Previous/next links that keep the current filters; plain links, so they work without JavaScript. */
export function Pagination({ page, pageCount, search }: { page: number; pageCount: number; search: string }) {
  const { t } = useTranslation();
  if (pageCount <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(search);
    params.set("page", String(p));
    return `?${params.toString()}`;
  };
  return (
    <nav className="pagination" aria-label={t("common:pagination.label")}>
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev">
          {t("common:pagination.previous")}
        </Link>
      ) : null}
      <span>{t("common:pagination.status", { page, pageCount })}</span>
      {page < pageCount ? (
        <Link to={href(page + 1)} rel="next">
          {t("common:pagination.next")}
        </Link>
      ) : null}
    </nav>
  );
}
