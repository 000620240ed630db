/**
 * A reorganisation of units as an event (ADR 017). `applyReorganisation` runs once per reorganisation, in one
 * transaction, at or after its effective date, through the normal history paths (dossier events and the
 * audit trail; never the maintenance switch). For every unit that ends on the effective date:
 *
 * - open dossiers (and drafts) move to its successor: the only one, or, where the unit was split or a
 *   district's work went to several communes, the one the applicant's address names; otherwise the dossier
 *   waits in the choice queue of the province's public administration service centre. The deadline, the
 *   clock and the status do not change; the hand-over is a dossier event and an audit row;
 * - its procedures move to its primary successor and take that unit's level (district → commune);
 * - its staff accounts are re-assigned to the primary successor, or disabled where it has none.
 *
 * Running it again does nothing: the reorganisation row is locked and marked applied in the same transaction.
 */

import type { Kysely, Transaction } from "kysely";
import { toVnDateString } from "../../domain/calendar/working-calendar.ts";
import { recordAudit } from "../audit.server.ts";
import { invalidateCatalogue } from "../catalogue/catalogue-queries.server.ts";
import type { Database } from "../db.server.ts";
import { writeEvent } from "../dossiers/dossier-service.server.ts";
import { invalidateStats } from "../stats/stats-cache.server.ts";

/** The unit whose clerks choose the new unit of a split unit's dossiers (demo: C group 01). */
export const SERVICE_CENTRE_GROUP = "01";
export function isServiceCentre(agencyCode: string | null): boolean {
  if (!agencyCode) return false;
  const [a, b, c] = agencyCode.split(".");
  return a === "000" && b === "00" && c === SERVICE_CENTRE_GROUP;
}

const OPEN_STATUSES = ["draft", "submitted", "received", "processing", "supplement_requested", "payment_requested"];

export type ReorgActor = { userId: string | null; role: "admin" | "system" | "clerk" };
export type ReorganisationSummary = {
  abolishedUnits: number;
  dossiersMoved: number;
  dossiersByAddress: number;
  dossiersQueued: number;
  proceduresMoved: number;
  staffReassigned: number;
  staffDisabled: number;
};
export type ApplyResult = { applied: boolean; summary: ReorganisationSummary };

export class ReorganisationNotFoundError extends Error {
  override name = "ReorganisationNotFoundError";
}
export class ReorganisationNotYetEffectiveError extends Error {
  override name = "ReorganisationNotYetEffectiveError";
}
export class ChoiceNotFoundError extends Error {
  override name = "ChoiceNotFoundError";
}
export class InvalidChoiceError extends Error {
  override name = "InvalidChoiceError";
}

type Db = Kysely<Database> | Transaction<Database>;

export function normaliseName(s: string): string {
  return ` ${s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()} `;
}

/** The applicant's address as the dossier knows it: form answers whose name says address. */
export function addressOf(formData: unknown): string {
  if (!formData || typeof formData !== "object") return "";
  return Object.entries(formData as Record<string, unknown>)
    .filter(([k, v]) => /address|residence|headoffice|diachi/i.test(k) && typeof v === "string")
    .map(([, v]) => v as string)
    .join(" ; ");
}

/**
 * The one candidate the address names (by the new unit's name, or the name of an old unit that went wholly
 * into it), or null when it names none or several.
 */
export function matchAddress(address: string, candidates: { code: string; names: string[] }[]): string | null {
  if (!address.trim()) return null;
  const text = normaliseName(address);
  const hits = candidates.filter((c) => c.names.some((n) => n.trim() && text.includes(normaliseName(n))));
  return hits.length === 1 ? hits[0]!.code : null;
}

const bareName = (nameVi: string) => nameVi.replace(/^UBND\s+/, "");

async function candidatesOf(trx: Db, predecessor: string): Promise<{ code: string; names: string[] }[]> {
  const succ = await trx
    .selectFrom("agency_successors as s")
    .innerJoin("agencies as a", "a.code", "s.successor_code")
    .select(["a.code", "a.name_vi"])
    .where("s.predecessor_code", "=", predecessor)
    .orderBy("a.code")
    .execute();
  if (succ.length === 0) return [];
  const wholes = await trx
    .selectFrom("agency_successors as s")
    .innerJoin("agencies as a", "a.code", "s.predecessor_code")
    .select(["s.successor_code", "a.name_vi"])
    .where(
      "s.successor_code",
      "in",
      succ.map((s) => s.code),
    )
    .where("s.whole", "=", true)
    .execute();
  return succ.map((s) => ({
    code: s.code,
    names: [bareName(s.name_vi), ...wholes.filter((w) => w.successor_code === s.code).map((w) => bareName(w.name_vi))],
  }));
}

async function handOver(
  trx: Transaction<Database>,
  dossier: { id: string; status: string; version: number },
  from: string,
  to: string,
  rule: "only_successor" | "address" | "clerk_choice",
  reorganisation: string,
  actor: ReorgActor,
  now: Date,
): Promise<void> {
  await trx
    .updateTable("dossiers")
    .set({ agency_code: to, version: dossier.version + 1, updated_at: now, claimed_by: null })
    .where("id", "=", dossier.id)
    .execute();
  await writeEvent(
    trx,
    dossier.id,
    {
      event: {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: "reorganisation_handover",
        fromStatus: dossier.status,
        toStatus: dossier.status,
        data: { from, to, rule, reorganisation },
      },
    },
    to,
  );
  await recordAudit(trx, {
    actorId: actor.userId,
    action: "dossier_handed_over",
    entity: "dossier",
    entityId: dossier.id,
    data: { from, to, rule, reorganisation },
  });
}

export async function applyReorganisation(
  db: Kysely<Database>,
  code: string,
  actor: ReorgActor,
  now = new Date(),
): Promise<ApplyResult> {
  const result = await applyInTransaction(db, code, actor, now);
  // Units, their procedures and the figures by unit changed: this process's caches start afresh (others within
  // CATALOGUE_CACHE_MS and the statistics cache times).
  invalidateCatalogue(db);
  invalidateStats(db);
  return result;
}

function applyInTransaction(db: Kysely<Database>, code: string, actor: ReorgActor, now: Date): Promise<ApplyResult> {
  return db.transaction().execute(async (trx) => {
    const reorg = await trx
      .selectFrom("reorganisations")
      .selectAll()
      .where("code", "=", code)
      .forUpdate()
      .executeTakeFirst();
    if (!reorg) throw new ReorganisationNotFoundError(code);
    if (reorg.applied_at) return { applied: false, summary: reorg.summary as ReorganisationSummary };
    const effectiveOn = String(reorg.effective_on).slice(0, 10);
    if (toVnDateString(now) < effectiveOn) throw new ReorganisationNotYetEffectiveError(effectiveOn);

    const summary: ReorganisationSummary = {
      abolishedUnits: 0,
      dossiersMoved: 0,
      dossiersByAddress: 0,
      dossiersQueued: 0,
      proceduresMoved: 0,
      staffReassigned: 0,
      staffDisabled: 0,
    };
    const abolished = await trx
      .selectFrom("agencies")
      .select(["code", "level"])
      .where("valid_to", "=", effectiveOn)
      .orderBy("code")
      .execute();
    summary.abolishedUnits = abolished.length;
    const successorLevels = new Map<string, string>();
    for (const unit of abolished) {
      const links = await trx
        .selectFrom("agency_successors as s")
        .innerJoin("agencies as a", "a.code", "s.successor_code")
        .select(["s.successor_code", "s.primary", "a.level"])
        .where("s.predecessor_code", "=", unit.code)
        .orderBy("s.successor_code")
        .execute();
      for (const l of links) successorLevels.set(l.successor_code, l.level);
      const primary = links.length === 1 ? links[0] : links.find((l) => l.primary);

      // Dossiers
      const dossiers = await trx
        .selectFrom("dossiers")
        .select(["id", "status", "version", "form_data"])
        .where("agency_code", "=", unit.code)
        .where("status", "in", OPEN_STATUSES)
        .orderBy("id")
        .forUpdate()
        .execute();
      const candidates = links.length > 1 ? await candidatesOf(trx, unit.code) : [];
      for (const d of dossiers) {
        if (links.length === 1) {
          await handOver(trx, d, unit.code, links[0]!.successor_code, "only_successor", code, actor, now);
          summary.dossiersMoved++;
          continue;
        }
        const byAddress = links.length > 1 ? matchAddress(addressOf(d.form_data), candidates) : null;
        if (byAddress) {
          await handOver(trx, d, unit.code, byAddress, "address", code, actor, now);
          summary.dossiersMoved++;
          summary.dossiersByAddress++;
          continue;
        }
        if (links.length === 0) continue; // no successor: stays where it is (never the case in the reform data)
        const queued = await trx
          .insertInto("reorganisation_choices")
          .values({ dossier_id: d.id, reorganisation_code: code, predecessor_code: unit.code, created_at: now })
          .onConflict((oc) => oc.column("dossier_id").doNothing())
          .returning("dossier_id")
          .executeTakeFirst();
        if (queued) {
          await recordAudit(trx, {
            actorId: actor.userId,
            action: "reorganisation_choice_queued",
            entity: "dossier",
            entityId: d.id,
            data: { from: unit.code, candidates: links.map((l) => l.successor_code), reorganisation: code },
          });
          summary.dossiersQueued++;
        }
      }

      // Procedures follow the unit's work to its primary successor, at that unit's level.
      if (primary) {
        const moved = await trx
          .updateTable("procedures")
          .set({ agency_code: primary.successor_code, level: primary.level })
          .where("agency_code", "=", unit.code)
          .returning(["code", "level"])
          .execute();
        for (const p of moved) {
          await recordAudit(trx, {
            actorId: actor.userId,
            action: "procedure_moved",
            entity: "procedure",
            entityId: p.code,
            data: {
              from: unit.code,
              to: primary.successor_code,
              fromLevel: unit.level,
              toLevel: p.level,
              reorganisation: code,
            },
          });
        }
        summary.proceduresMoved += moved.length;
      }

      // Staff accounts
      const staff = await trx
        .selectFrom("users")
        .select(["id", "role"])
        .where("agency_code", "=", unit.code)
        .where("role", "in", ["clerk", "manager"])
        .where("disabled_at", "is", null)
        .orderBy("id")
        .execute();
      for (const u of staff) {
        if (primary) {
          await trx.updateTable("users").set({ agency_code: primary.successor_code }).where("id", "=", u.id).execute();
          await recordAudit(trx, {
            actorId: actor.userId,
            action: "staff_reassigned",
            entity: "user",
            entityId: u.id,
            data: { from: unit.code, to: primary.successor_code, reorganisation: code },
          });
          summary.staffReassigned++;
        } else {
          await trx.updateTable("users").set({ disabled_at: now }).where("id", "=", u.id).execute();
          await trx.deleteFrom("sessions").where("user_id", "=", u.id).execute();
          await recordAudit(trx, {
            actorId: actor.userId,
            action: "staff_disabled",
            entity: "user",
            entityId: u.id,
            data: { from: unit.code, reorganisation: code },
          });
          summary.staffDisabled++;
        }
      }
    }
    await trx
      .updateTable("reorganisations")
      .set({
        applied_at: now,
        applied_by: actor.role === "system" ? null : actor.userId,
        summary: JSON.stringify(summary),
      })
      .where("code", "=", code)
      .execute();
    await recordAudit(trx, {
      actorId: actor.userId,
      action: "reorganisation_applied",
      entity: "reorganisation",
      entityId: code,
      data: { ...summary, effectiveOn },
    });
    return { applied: true, summary };
  });
}

export type ReorganisationRow = {
  code: string;
  effective_on: string;
  name_vi: string;
  name_en: string;
  legal_basis: string;
  applied_at: Date | null;
  summary: Partial<ReorganisationSummary>;
  abolished: number;
  created: number;
  pendingChoices: number;
};

export async function listReorganisations(db: Kysely<Database>): Promise<ReorganisationRow[]> {
  const rows = await db
    .selectFrom("reorganisations as r")
    .select((eb) => [
      "r.code",
      "r.effective_on",
      "r.name_vi",
      "r.name_en",
      "r.legal_basis",
      "r.applied_at",
      "r.summary",
      eb
        .selectFrom("agencies")
        .select((e) => e.fn.countAll<string>().as("n"))
        .whereRef("agencies.valid_to", "=", "r.effective_on")
        .as("abolished"),
      eb
        .selectFrom("agencies")
        .select((e) => e.fn.countAll<string>().as("n"))
        .whereRef("agencies.valid_from", "=", "r.effective_on")
        .as("created"),
      eb
        .selectFrom("reorganisation_choices as c")
        .select((e) => e.fn.countAll<string>().as("n"))
        .whereRef("c.reorganisation_code", "=", "r.code")
        .where("c.chosen_code", "is", null)
        .as("pending"),
    ])
    .orderBy("r.effective_on", "desc")
    .execute();
  return rows.map((r) => ({
    code: r.code,
    effective_on: String(r.effective_on).slice(0, 10),
    name_vi: r.name_vi,
    name_en: r.name_en,
    legal_basis: r.legal_basis,
    applied_at: r.applied_at ? new Date(r.applied_at as unknown as string) : null,
    summary: (r.summary ?? {}) as Partial<ReorganisationSummary>,
    abolished: Number(r.abolished ?? 0),
    created: Number(r.created ?? 0),
    pendingChoices: Number(r.pending ?? 0),
  }));
}

export type PendingChoice = {
  dossierId: string;
  dossierCode: string | null;
  procedureCode: string;
  applicantName: string;
  address: string;
  status: string;
  dueAt: string | null;
  predecessor: { code: string; name_vi: string; name_en: string };
  candidates: { code: string; name_vi: string; name_en: string }[];
};

/** The split-choice queue: dossiers of split units waiting for a service-centre clerk to choose. */
export async function pendingChoices(db: Kysely<Database>, limit = 200): Promise<PendingChoice[]> {
  const rows = await db
    .selectFrom("reorganisation_choices as c")
    .innerJoin("dossiers as d", "d.id", "c.dossier_id")
    .innerJoin("agencies as a", "a.code", "c.predecessor_code")
    .select([
      "c.dossier_id",
      "c.predecessor_code",
      "d.code",
      "d.procedure_code",
      "d.applicant_name",
      "d.form_data",
      "d.status",
      "d.due_at",
      "a.name_vi",
      "a.name_en",
    ])
    .where("c.chosen_code", "is", null)
    .orderBy("c.created_at")
    .orderBy("c.dossier_id")
    .limit(limit)
    .execute();
  const preds = [...new Set(rows.map((r) => r.predecessor_code))];
  const succ =
    preds.length === 0
      ? []
      : await db
          .selectFrom("agency_successors as s")
          .innerJoin("agencies as a", "a.code", "s.successor_code")
          .select(["s.predecessor_code", "a.code", "a.name_vi", "a.name_en"])
          .where("s.predecessor_code", "in", preds)
          .orderBy("a.code")
          .execute();
  return rows.map((r) => ({
    dossierId: r.dossier_id,
    dossierCode: r.code,
    procedureCode: r.procedure_code,
    applicantName: r.applicant_name,
    address: addressOf(r.form_data),
    status: r.status,
    dueAt: r.due_at ? new Date(r.due_at as unknown as string).toISOString() : null,
    predecessor: { code: r.predecessor_code, name_vi: r.name_vi, name_en: r.name_en },
    candidates: succ
      .filter((s) => s.predecessor_code === r.predecessor_code)
      .map((s) => ({ code: s.code, name_vi: s.name_vi, name_en: s.name_en })),
  }));
}

/** A service-centre clerk chooses the new unit of a queued dossier: hand-over and choice, audited, at once. */
export async function chooseSuccessor(
  db: Kysely<Database>,
  dossierId: string,
  chosenCode: string,
  clerk: { userId: string; agencyCode: string | null },
  now = new Date(),
): Promise<void> {
  if (!isServiceCentre(clerk.agencyCode)) throw new ChoiceNotFoundError(dossierId);
  await db.transaction().execute(async (trx) => {
    const choice = await trx
      .selectFrom("reorganisation_choices")
      .selectAll()
      .where("dossier_id", "=", dossierId)
      .where("chosen_code", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!choice) throw new ChoiceNotFoundError(dossierId);
    const allowed = await trx
      .selectFrom("agency_successors")
      .select("successor_code")
      .where("predecessor_code", "=", choice.predecessor_code)
      .where("successor_code", "=", chosenCode)
      .executeTakeFirst();
    if (!allowed) throw new InvalidChoiceError(chosenCode);
    const dossier = await trx
      .selectFrom("dossiers")
      .select(["id", "status", "version", "agency_code"])
      .where("id", "=", dossierId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const actor: ReorgActor = { userId: clerk.userId, role: "clerk" };
    if (dossier.agency_code === choice.predecessor_code && OPEN_STATUSES.includes(dossier.status)) {
      await handOver(
        trx,
        dossier,
        choice.predecessor_code,
        chosenCode,
        "clerk_choice",
        choice.reorganisation_code,
        actor,
        now,
      );
    }
    await trx
      .updateTable("reorganisation_choices")
      .set({ chosen_code: chosenCode, chosen_by: clerk.userId, chosen_at: now })
      .where("dossier_id", "=", dossierId)
      .execute();
    await recordAudit(trx, {
      actorId: clerk.userId,
      action: "reorganisation_choice_made",
      entity: "dossier",
      entityId: dossierId,
      data: { from: choice.predecessor_code, to: chosenCode, reorganisation: choice.reorganisation_code },
    });
  });
}
