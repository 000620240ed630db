import type { LoaderFunctionArgs } from "@remix-run/node";
import { resources } from "#locales/index.ts";
import { buildBlankFormPdf } from "../../server/catalogue/blank-form-pdf.server.ts";
import { cachedCatalogue } from "../../server/catalogue/catalogue-queries.server.ts";
import { db } from "../../server/db.server.ts";
import { getLanguage } from "../../server/i18n.server.ts";
import type { FormFieldSpec } from "../../utils/procedure-form-spec.ts";

type Doc = { nameVi: string; nameEn: string; required: boolean };

/**
 * The procedure's blank declaration form as a PDF (public, like the procedure page): made from the
 * procedure's form spec in the reader's language. Immutable per procedure and language, so cacheable.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  const p = code.length <= 32 ? await cachedCatalogue.procedureByCode(db, code) : undefined;
  if (!p) throw new Response("Not Found", { status: 404 });
  const lng = await getLanguage(request);
  const en = lng === "en";
  const w = resources[lng].catalogue.blankForm;
  const bytes = await buildBlankFormPdf(
    {
      procedureCode: p.code,
      procedureName: en ? p.name_en : p.name_vi,
      agencyName: en ? p.agency_name_en : p.agency_name_vi,
      language: lng,
      fields: ((p.form ?? []) as FormFieldSpec[]).map((f) => ({
        type: f.type,
        required: f.required,
        label: en ? f.labelEn : f.labelVi,
        options: (f.options ?? []).map((o) => (en ? o.labelEn : o.labelVi)),
      })),
      documents: ((p.documents ?? []) as Doc[]).map((d) => ({ name: en ? d.nameEn : d.nameVi, required: d.required })),
    },
    {
      ...w,
      applicantRows: Object.values(w.applicantRows),
      deliveryOptions: Object.values(w.deliveryOptions),
    },
  );
  const fileName = `to-khai-${p.code.replace(/[^\w.-]/g, "_")}${en ? "-en" : ""}.pdf`;
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${fileName}"`,
      "Cache-Control": "private, max-age=3600",
      Vary: "Cookie",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
