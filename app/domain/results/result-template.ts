/**
 * Result templates (issue 14): data stored with each procedure (`procedures.result_template`) naming
 * what its result document shows, taken from the dossier's answers and from the clerk's decision at
 * resolution. Filling a template is pure, so it is unit-tested and the clerk's preview and the signed
 * PDF show the same rows.
 */
import type { FormFieldSpec } from "../catalogue/form-field-spec.ts";

/** One line of the result: a label and where its value comes from. */
export type TemplateField = {
  labelVi: string;
  labelEn: string;
  /** `answer:<form field name>` or `applicant:name` / `applicant:nationalId`. */
  source: string;
};

export type ResultTemplate = {
  fields: TemplateField[];
  /** Civil-status results (hộ tịch) are entered in a register book: ask for book and page. */
  register: boolean;
};

/** What the clerk enters at "Hoàn thành xử lý". */
export type Decision = {
  number: string;
  registerBook?: string;
  registerPage?: string;
  signerName: string;
  signerTitle: string;
  decidedOn: string; // YYYY-MM-DD
  attachmentName?: string;
};

export type FilledRow = { labelVi: string; labelEn: string; value: string };

export type FilledResult = { rows: FilledRow[]; decisionRows: FilledRow[]; missing: string[] };

export const DECISION_LABELS = {
  number: ["Số", "Number"],
  registerBook: ["Quyển số", "Register book"],
  registerPage: ["Trang số", "Page"],
  decidedOn: ["Ngày quyết định", "Date of decision"],
  signer: ["Người ký", "Signed by"],
  attachment: ["Văn bản kèm theo", "Attached document"],
} as const;

/** Without a template of its own, a procedure's result shows the applicant and every answer. */
export function defaultTemplate(form: FormFieldSpec[]): ResultTemplate {
  return {
    register: false,
    fields: [
      { labelVi: "Người yêu cầu", labelEn: "Applicant", source: "applicant:name" },
      ...form.map((f) => ({ labelVi: f.labelVi, labelEn: f.labelEn, source: `answer:${f.name}` })),
    ],
  };
}

function isTemplateField(v: unknown): v is TemplateField {
  const o = v as Record<string, unknown>;
  return (
    typeof o === "object" &&
    o !== null &&
    typeof o.labelVi === "string" &&
    typeof o.labelEn === "string" &&
    typeof o.source === "string"
  );
}

/** The stored template, or the default when the column is empty or not a template. */
export function templateOf(stored: unknown, form: FormFieldSpec[]): ResultTemplate {
  const o = stored as { fields?: unknown; register?: unknown } | null;
  if (o && Array.isArray(o.fields) && o.fields.every(isTemplateField))
    return { fields: o.fields as TemplateField[], register: o.register === true };
  return defaultTemplate(form);
}

/** 2024-03-05 → 05/03/2024 (the Vietnamese way of writing dates on documents). */
export function vnDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

function groupThousands(raw: string): string {
  return /^\d+$/.test(raw) ? raw.replace(/\B(?=(\d{3})+(?!\d))/g, ".") : raw;
}

function answerValue(spec: FormFieldSpec | undefined, raw: string): string {
  if (!spec) return raw;
  if (spec.type === "date") return vnDate(raw);
  if (spec.type === "number") return groupThousands(raw);
  if (spec.type === "select") return spec.options?.find((o) => o.value === raw)?.labelVi ?? raw;
  return raw;
}

export function fillTemplate(
  template: ResultTemplate,
  form: FormFieldSpec[],
  answers: Record<string, unknown>,
  applicant: { name: string; nationalId: string },
  decision: Decision | null,
): FilledResult {
  const missing: string[] = [];
  const rows = template.fields.map((f) => {
    const [kind, name = ""] = f.source.split(":", 2) as [string, string | undefined];
    let value = "";
    if (kind === "applicant") value = name === "nationalId" ? applicant.nationalId : applicant.name;
    else if (kind === "answer") {
      const raw = answers[name];
      value =
        typeof raw === "string" || typeof raw === "number"
          ? answerValue(
              form.find((s) => s.name === name),
              String(raw).trim(),
            )
          : "";
    }
    if (!value) missing.push(f.labelVi);
    return { labelVi: f.labelVi, labelEn: f.labelEn, value: value || "—" };
  });
  const decisionRows: FilledRow[] = [];
  if (decision) {
    const row = (key: keyof typeof DECISION_LABELS, value: string) =>
      decisionRows.push({ labelVi: DECISION_LABELS[key][0], labelEn: DECISION_LABELS[key][1], value });
    row("number", decision.number);
    if (template.register) {
      row("registerBook", decision.registerBook ?? "—");
      row("registerPage", decision.registerPage ?? "—");
    }
    row("decidedOn", vnDate(decision.decidedOn));
    row("signer", `${decision.signerTitle} ${decision.signerName}`.trim());
    if (decision.attachmentName) row("attachment", decision.attachmentName);
  }
  return { rows, decisionRows, missing };
}
