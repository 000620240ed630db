/**
 * Every migration, in order. Listed explicitly (not read from the folder) so the same set runs from
 * the Vite server build, from tsx scripts and from tests.
 */
import type { Migration } from "kysely";
import * as m20261123_1300 from "./2026_11_23_1300_foundation.ts";
import * as m20261123_1310 from "./2026_11_23_1310_calendar_data.ts";
import * as m20261123_1330 from "./2026_11_23_1330_procedure_search.ts";
import * as m20261123_1400 from "./2026_11_23_1400_dossiers.ts";
import * as m20261123_1430 from "./2026_11_23_1430_workflow.ts";
import * as m20261123_1500 from "./2026_11_23_1500_notification_delivery.ts";
import * as m20261123_1530 from "./2026_11_23_1530_results.ts";
import * as m20261123_1600 from "./2026_11_23_1600_payments.ts";
import * as m20261123_1700 from "./2026_11_23_1700_stats_rollups.ts";
import * as m20261123_1710 from "./2026_11_23_1710_dossier_imports.ts";
import * as m20261123_1720 from "./2026_11_23_1720_metric_targets.ts";
import * as m20261126_0900 from "./2026_11_26_0900_rate_limits.ts";
import * as m20261126_1000 from "./2026_11_26_1000_audit_chain.ts";
import * as m20261126_1100 from "./2026_11_26_1100_payment_states.ts";
import * as m20261126_1200 from "./2026_11_26_1200_settlement.ts";
import * as m20261126_1300 from "./2026_11_26_1300_result_documents.ts";
import * as m20261126_1400 from "./2026_11_26_1400_agency_history.ts";
import * as m20261126_1500 from "./2026_11_26_1500_citizen_signatures.ts";
import * as m20261126_1700 from "./2026_11_26_1700_dossier_contact.ts";
import * as m20261126_1710 from "./2026_11_26_1710_procedure_guide.ts";
import * as m20261126_1800 from "./2026_11_26_1800_applied_migrations.ts";
import * as m20261126_1850 from "./2026_11_26_1850_job_worker_instances.ts";

export const migrations: Record<string, Migration> = {
  "2026_11_23_1300_foundation": m20261123_1300,
  "2026_11_23_1310_calendar_data": m20261123_1310,
  "2026_11_23_1330_procedure_search": m20261123_1330,
  "2026_11_23_1400_dossiers": m20261123_1400,
  "2026_11_23_1430_workflow": m20261123_1430,
  "2026_11_23_1500_notification_delivery": m20261123_1500,
  "2026_11_23_1530_results": m20261123_1530,
  "2026_11_23_1600_payments": m20261123_1600,
  "2026_11_23_1700_stats_rollups": m20261123_1700,
  "2026_11_23_1710_dossier_imports": m20261123_1710,
  "2026_11_23_1720_metric_targets": m20261123_1720,
  "2026_11_26_0900_rate_limits": m20261126_0900,
  "2026_11_26_1000_audit_chain": m20261126_1000,
  "2026_11_26_1100_payment_states": m20261126_1100,
  "2026_11_26_1200_settlement": m20261126_1200,
  "2026_11_26_1300_result_documents": m20261126_1300,
  "2026_11_26_1400_agency_history": m20261126_1400,
  "2026_11_26_1500_citizen_signatures": m20261126_1500,
  "2026_11_26_1700_dossier_contact": m20261126_1700,
  "2026_11_26_1710_procedure_guide": m20261126_1710,
  "2026_11_26_1800_applied_migrations": m20261126_1800,
  "2026_11_26_1850_job_worker_instances": m20261126_1850,
};
