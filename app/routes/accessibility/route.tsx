import type { LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { getT } from "../../server/i18n.server.ts";

export const handle = { hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request);
  return { title: t("accessibility.title") };
}

export default function Accessibility() {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t("accessibility.title")}</h1>
      <p>{t("accessibility.p1")}</p>
      <p>{t("accessibility.p2")}</p>
      <p>{t("accessibility.p3")}</p>
    </div>
  );
}
