/**
 * The shapes of the demo catalogue (units, fields, procedures), apart from the data so the procedure list
 * (demo-procedures.ts) and the province (demo-data.ts) can both use them without importing each other.
 * A procedure's form fields have one shape for the seed and the app: app/utils/procedure-form-spec.ts.
 */

import type { FormFieldSpec } from "../../app/domain/catalogue/form-field-spec.ts";
import type { ResultTemplate } from "../../app/domain/results/result-template.ts";

export type { FormFieldSpec };
export type AgencyLevel = "province" | "district" | "commune";
export type DemoAgency = {
  code: string;
  nameVi: string;
  nameEn: string;
  level: AgencyLevel;
  parentCode: string | null;
};
export type DemoField = { code: string; nameVi: string; nameEn: string };
export type OnlineKind = "full" | "partial" | "none";
export type TimeUnit = "working_days" | "working_hours" | "calendar_days";
export type DemoDocument = { nameVi: string; nameEn: string; required: boolean };
export type DemoProcedure = {
  code: string;
  nameVi: string;
  nameEn: string;
  fieldCode: string;
  level: AgencyLevel;
  agencyCode: string;
  processingTime: { amount: number; unit: TimeUnit };
  feeVnd: number;
  feePayerVi: string;
  feePayerEn: string;
  onlineKind: OnlineKind;
  documents: DemoDocument[];
  legalBasisVi: string;
  legalBasisEn: string;
  resultVi: string;
  resultEn: string;
  form: FormFieldSpec[];
  /** What the result document shows (issue 14); without one, the applicant and every answer. */
  resultTemplate?: ResultTemplate;
};
