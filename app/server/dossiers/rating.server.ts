/** A citizen rates their finished dossier: one audited transaction; the rollup trigger counts it. */
import type { Kysely } from "kysely";
import type { DossierStatus } from "../../domain/dossier/dossier.ts";
import { type Rating, type RatingProblem, ratingProblem } from "../../domain/dossier/rating.ts";
import { recordAudit } from "../audit.server.ts";
import type { Database } from "../db.server.ts";

export class RatingNotPossibleError extends Error {
  override name = "RatingNotPossibleError";
  constructor(readonly problem: RatingProblem) {
    super(problem);
  }
}

export async function rateDossier(
  db: Kysely<Database>,
  citizenId: string,
  dossierId: string,
  rating: Rating,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("dossiers")
      .select(["id", "status", "rating", "applicant_id"])
      .where("id", "=", dossierId)
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.applicant_id !== citizenId) throw new RatingNotPossibleError("invalid");
    const problem = ratingProblem(row.status as DossierStatus, row.rating);
    if (problem) throw new RatingNotPossibleError(problem);
    await trx.updateTable("dossiers").set({ rating, rated_at: now }).where("id", "=", dossierId).execute();
    await recordAudit(trx, {
      actorId: citizenId,
      action: "dossier.rate",
      entity: "dossier",
      entityId: dossierId,
      data: { rating },
    });
  });
}
