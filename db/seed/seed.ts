/**
 * Seeds the demo province into an empty database (agencies, fields, procedures, demo accounts).
 * Demo only: production data that every deployment needs (the calendar) lives in migrations.
 */

import type { Kysely } from "kysely";
import { defaultTemplate } from "../../app/domain/results/result-template.ts";
import { hashPassword } from "../../app/server/password.server.ts";
import { type ApplyResult, applyReorganisation } from "../../app/server/units/reorganisation.server.ts";
import type { DB } from "../schema.generated.ts";
import { agencies, type DemoAgency, fields, procedures } from "./demo-data.ts";
import { procedureGuides } from "./demo-guides.ts";
import { REFORM_2025, unitsWithHistory } from "./units-2025.ts";

export const DEMO_PASSWORD = "DemoPortal2026";

/** Demo-only accounts, also listed in README.md. */
export function demoAccounts() {
  const byName = (level: DemoAgency["level"], part: string) => {
    const found = agencies.find((a) => a.level === level && a.nameVi.includes(part));
    if (!found) throw new Error(`demo agency not found: ${part}`);
    return found.code;
  };
  const provinceRoot = agencies.find((a) => a.parentCode === null);
  if (!provinceRoot) throw new Error("demo data has no province root");
  return [
    { role: "citizen", nationalId: "022090000001", username: null, fullName: "Nguyễn Văn An", agencyCode: null },
    { role: "citizen", nationalId: "022195000002", username: null, fullName: "Trần Thị Bình", agencyCode: null },
    {
      role: "clerk",
      nationalId: null,
      username: "canbo.halong",
      fullName: "Lê Thị Hoa",
      agencyCode: byName("district", "Hạ Long"),
    },
    {
      role: "clerk",
      nationalId: null,
      username: "canbo.honggai",
      fullName: "Hoàng Thị Mai",
      agencyCode: byName("commune", "Hồng Gai"),
    },
    {
      role: "clerk",
      nationalId: null,
      username: "canbo.tuphap",
      fullName: "Phạm Minh Đức",
      agencyCode: byName("province", "Tư pháp"),
    },
    {
      // The province's public administration service centre: chooses the new unit of a split unit's dossiers
      // (the reorganisation queue, /clerk/reorganisation; ADR 017).
      role: "clerk",
      nationalId: null,
      username: "canbo.trungtam",
      fullName: "Bùi Thị Lan",
      agencyCode: byName("province", "Trung tâm Phục vụ hành chính công"),
    },
    {
      // The finance duty (ADR 012): payments needing review, refunds, takings and the daily settlement of
      // the whole merchant account, so at the province's root.
      role: "clerk",
      nationalId: null,
      username: "ketoan.tinh",
      fullName: "Ngô Thị Thu",
      agencyCode: provinceRoot.code,
      duties: ["finance"],
    },
    {
      role: "manager",
      nationalId: null,
      username: "lanhdao.tinh",
      fullName: "Vũ Quang Huy",
      agencyCode: provinceRoot.code,
    },
    {
      role: "manager",
      nationalId: null,
      username: "lanhdao.halong",
      fullName: "Đỗ Thu Trang",
      agencyCode: byName("district", "Hạ Long"),
    },
    { role: "admin", nationalId: null, username: "quantri", fullName: "Quản trị hệ thống", agencyCode: null },
  ] as const;
}

function parentsFirst<A extends DemoAgency>(list: A[]): A[] {
  const done = new Set<string>();
  const out: A[] = [];
  let pending = [...list];
  while (pending.length > 0) {
    const ready = pending.filter((a) => a.parentCode === null || done.has(a.parentCode));
    if (ready.length === 0) throw new Error("demo agencies have a missing or circular parent");
    for (const a of ready) {
      out.push(a);
      done.add(a.code);
    }
    pending = pending.filter((a) => !done.has(a.code));
  }
  return out;
}

/**
 * The demo procedures' steps and conditions (db/seed/demo-guides.ts) for a demo database seeded before
 * they existed: written where a procedure has none yet, never over a guide already there. Returns how many.
 */
export async function applyDemoGuides(db: Kysely<DB>): Promise<number> {
  let written = 0;
  for (const [code, guide] of Object.entries(procedureGuides)) {
    const r = await db
      .updateTable("procedures")
      .set({ guide: JSON.stringify(guide) })
      .where("code", "=", code)
      .where("guide", "is", null)
      .executeTakeFirst();
    written += Number(r.numUpdatedRows);
  }
  return written;
}

/** Returns false (and does nothing) when the database already has agencies. */
export async function seedDemoData(db: Kysely<DB>): Promise<boolean> {
  const existing = await db
    .selectFrom("agencies")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    // The 2023 structure, the 2025 units and the links between them (ADR 016); the reform itself is a
    // pending reorganisation, applied by applyDemoReform (npm start) or an admin (/admin/reorganisations).
    const history = unitsWithHistory();
    for (const a of parentsFirst(history.agencies)) {
      await trx
        .insertInto("agencies")
        .values({
          code: a.code,
          name_vi: a.nameVi,
          name_en: a.nameEn,
          level: a.level,
          parent_code: a.parentCode,
          valid_from: a.validFrom,
          valid_to: a.validTo,
          kind: a.kind,
        })
        .execute();
    }
    await trx
      .insertInto("agency_successors")
      .values(
        history.successors.map((l) => ({
          predecessor_code: l.predecessor,
          successor_code: l.successor,
          effective_on: REFORM_2025.effectiveOn,
          whole: l.whole,
          primary: l.primary,
        })),
      )
      .execute();
    await trx
      .insertInto("reorganisations")
      .values({
        code: REFORM_2025.code,
        effective_on: REFORM_2025.effectiveOn,
        name_vi: REFORM_2025.nameVi,
        name_en: REFORM_2025.nameEn,
        legal_basis: REFORM_2025.legalBasis,
      })
      .execute();
    await trx
      .insertInto("fields")
      .values(fields.map((f) => ({ code: f.code, name_vi: f.nameVi, name_en: f.nameEn })))
      .execute();
    await trx
      .insertInto("procedures")
      .values(
        procedures.map((p) => ({
          code: p.code,
          name_vi: p.nameVi,
          name_en: p.nameEn,
          field_code: p.fieldCode,
          level: p.level,
          agency_code: p.agencyCode,
          processing_amount: p.processingTime.amount,
          processing_unit: p.processingTime.unit,
          fee_vnd: p.feeVnd,
          fee_payer_vi: p.feePayerVi,
          fee_payer_en: p.feePayerEn,
          online_kind: p.onlineKind,
          documents: JSON.stringify(p.documents),
          legal_basis_vi: p.legalBasisVi,
          legal_basis_en: p.legalBasisEn,
          result_vi: p.resultVi,
          result_en: p.resultEn,
          form: JSON.stringify(p.form),
          guide: procedureGuides[p.code] ? JSON.stringify(procedureGuides[p.code]) : null,
          // Civil-status results (hộ tịch) are entered in a register book: the decision asks for book and page.
          result_template: JSON.stringify(
            p.resultTemplate ?? { ...defaultTemplate(p.form), register: p.fieldCode === "ho-tich" },
          ),
        })),
      )
      .execute();
    await trx
      .insertInto("users")
      .values(
        demoAccounts().map((u) => ({
          role: u.role,
          national_id: u.nationalId,
          username: u.username,
          full_name: u.fullName,
          agency_code: u.agencyCode,
          duties: "duties" in u ? [...u.duties] : [],
          password_hash: passwordHash,
        })),
      )
      .execute();
  });
  return true;
}

/**
 * The demo as of today: applies the 2025 reform to the freshly seeded 2023 structure through the normal path
 * (procedures to the new units at their level, staff re-assigned, audited), before the demo dossiers are made
 * at today's units. Doing it again does nothing.
 */
export async function applyDemoReform(db: Kysely<DB>, now = new Date()): Promise<ApplyResult> {
  return applyReorganisation(db, REFORM_2025.code, { userId: null, role: "system" }, now);
}
