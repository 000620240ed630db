/**
 * Delivers one notification: by e-mail through SMTP when SMTP_URL is configured, otherwise into a
 * local outbox folder a developer can open (OUTBOX_DIR, default .data/outbox). Throwing makes the
 * job queue retry with backoff; the attempt and error are recorded on the notification.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Kysely } from "kysely";
import nodemailer from "nodemailer";
import type { Database } from "../db.server.ts";
import { i18next } from "../i18n.server.ts";

export function outboxDir(): string {
  return path.resolve(process.env.OUTBOX_DIR ?? ".data/outbox");
}

export async function deliverNotification(db: Kysely<Database>, id: number): Promise<void> {
  const row = await db
    .selectFrom("notifications as n")
    .innerJoin("users as u", "u.id", "n.user_id")
    .select(["n.id", "n.kind", "n.data", "n.sent_at", "u.email", "u.full_name"])
    .where("n.id", "=", id)
    .executeTakeFirst();
  if (!row || row.sent_at) return; // gone, or already sent by an earlier attempt
  const data = row.data as { code?: string; status?: string };
  const t = await i18next.getFixedT("vi", "dossier");
  const kind = row.kind === "reminder" || row.kind === "apology" ? row.kind : "status";
  const vars = { name: row.full_name, code: data.code ?? "", status: t(`status.${data.status ?? "submitted"}`) };
  const subject = t(`notification.${kind}Subject`, vars);
  const body = t(`notification.${kind}Body`, vars);
  try {
    let via: string;
    if (process.env.SMTP_URL && row.email) {
      await nodemailer.createTransport(process.env.SMTP_URL).sendMail({
        from: process.env.SMTP_FROM ?? "no-reply@dichvucong.example",
        to: row.email,
        subject,
        text: body,
      });
      via = "smtp";
    } else {
      await fs.mkdir(outboxDir(), { recursive: true });
      const file = path.join(outboxDir(), `notification-${row.id}.txt`);
      await fs.writeFile(
        file,
        `To: ${row.email ?? "(no e-mail: shown in the portal)"}\nSubject: ${subject}\n\n${body}\n`,
      );
      via = "outbox";
    }
    await db
      .updateTable("notifications")
      .set((eb) => ({ sent_at: new Date(), sent_via: via, attempts: eb("attempts", "+", 1), last_error: null }))
      .where("id", "=", id)
      .execute();
  } catch (error) {
    await db
      .updateTable("notifications")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        last_error: error instanceof Error ? error.message.slice(0, 500) : "error",
      }))
      .where("id", "=", id)
      .execute();
    throw error;
  }
}
