import { useTranslation } from "react-i18next";
import { type ContactValues, formatVnMobile } from "../utils/contact.ts";

/** The contact details and how the result is received, as a summary list (check page, dossier pages, receipt). */
export function ContactSummary({ contact }: { contact: ContactValues }) {
  const { t } = useTranslation("dossier");
  return (
    <dl className="summary-list">
      <div>
        <dt>{t("contact.phone")}</dt>
        <dd>{contact.phone ? formatVnMobile(contact.phone) : t("contact.none")}</dd>
      </div>
      <div>
        <dt>{t("contact.address")}</dt>
        <dd>{contact.address ?? t("contact.none")}</dd>
      </div>
      <div>
        <dt>{t("contact.delivery")}</dt>
        <dd>{contact.delivery ? t(`contact.method.${contact.delivery}`) : t("contact.none")}</dd>
      </div>
      {contact.delivery === "post" ? (
        <div>
          <dt>{t("contact.postal")}</dt>
          <dd>{contact.postal ?? t("contact.none")}</dd>
        </div>
      ) : null}
    </dl>
  );
}
