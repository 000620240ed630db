/**
 * Payment test harness: the real gateway simulator (gateway-sim/server.ts) on a free port, an in-process IPN
 * endpoint that hands the simulator's calls to the portal's `handleIpn`, a citizen's browser (open the pay
 * page, approve or decline), and a small catalogue (one agency, a fixed-fee procedure) with a clerk and a
 * citizen. Used by the payment race tests and the money model test.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Kysely } from "kysely";
import type { Database } from "../app/server/db.server.ts";
import { actOnDossier, intakeDossier } from "../app/server/dossiers/workflow-service.server.ts";
import { handleIpn } from "../app/server/payments/payment-service.server.ts";
import { type GatewaySimulator, startGatewaySimulator } from "../gateway-sim/server.ts";
import { insertOneProcedure, TEST_AGENCY } from "./fixtures.ts";

export const SIM_SECRET = "demo-secret-change-me";
export const SIM_TMN = "DEMO0001";

export type PaymentWorld = {
  sim: GatewaySimulator;
  /** The database the IPN endpoint writes to (switchable, so one simulator serves several databases). */
  setDb(db: Kysely<Database>): void;
  /** Replies the portal gave to the simulator's IPN calls. */
  ipnReplies(): string[];
  close(): Promise<void>;
};

/** Starts the simulator and the IPN endpoint, and points the portal's gateway configuration at them. */
export async function startPaymentWorld(opts: { loseIpn?: boolean } = {}): Promise<PaymentWorld> {
  let current: Kysely<Database> | undefined;
  const replies: string[] = [];
  const ipn: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const params = Object.fromEntries(url.searchParams);
    const db = current;
    const answer = db
      ? handleIpn(db, params, new Date())
      : Promise.resolve({ RspCode: "99", Message: "no database" } as const);
    void answer.then((reply) => {
      replies.push(reply.RspCode);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => ipn.listen(0, "127.0.0.1", resolve));
  const port = (ipn.address() as AddressInfo).port;
  const sim = await startGatewaySimulator({
    port: 0,
    tmnCode: SIM_TMN,
    secret: SIM_SECRET,
    ipnUrl: `http://127.0.0.1:${port}/api/payments/ipn`,
    loseIpn: opts.loseIpn ?? false,
  });
  const previous = {
    url: process.env.GATEWAY_URL,
    tmn: process.env.GATEWAY_TMN_CODE,
    secret: process.env.GATEWAY_SECRET,
  };
  process.env.GATEWAY_URL = sim.url;
  process.env.GATEWAY_TMN_CODE = SIM_TMN;
  process.env.GATEWAY_SECRET = SIM_SECRET;
  return {
    sim,
    setDb: (db) => {
      current = db;
    },
    ipnReplies: () => replies,
    close: async () => {
      await sim.close();
      await new Promise<void>((resolve) => ipn.close(() => resolve()));
      for (const [key, value] of [
        ["GATEWAY_URL", previous.url],
        ["GATEWAY_TMN_CODE", previous.tmn],
        ["GATEWAY_SECRET", previous.secret],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}

/** The citizen's browser on the gateway: opens the pay page of `payUrl`; returns the form token. */
export async function openPayPage(payUrl: string): Promise<string> {
  const page = await (await fetch(payUrl)).text();
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error(`no pay form: ${page.slice(0, 200)}`);
  return token;
}

/** The citizen approves (pays) or declines on the gateway page. */
export async function decideOnGateway(sim: GatewaySimulator, token: string, action: "approve" | "decline") {
  const res = await fetch(`${sim.url}/paymentv2/confirm`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, bank: "NCB", action }),
    redirect: "manual",
  });
  if (res.status !== 303) throw new Error(`gateway confirm answered ${res.status}`);
}

/** Waits until the simulator has made `count` IPN calls (they run in the background). */
export async function ipnCallsSettled(sim: GatewaySimulator, count: number, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (sim.ipnLog().length < count) {
    if (Date.now() > until) throw new Error(`expected ${count} IPN calls, saw ${sim.ipnLog().length}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export type Actors = {
  clerk: { id: string; agencyCode: string; fullName: string };
  citizen: { id: string; fullName: string; nationalId: string };
};

/** One agency, procedure "1.1" with a fixed fee, a clerk and a citizen. */
export async function paymentCatalogue(db: Kysely<Database>, feeVnd = 100_000): Promise<Actors> {
  await insertOneProcedure(db, { feeVnd });
  const clerkId = (
    await db
      .insertInto("users")
      .values({ role: "clerk", username: "clerk", full_name: "Cán bộ", password_hash: "x", agency_code: TEST_AGENCY })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const citizenId = (
    await db
      .insertInto("users")
      .values({ role: "citizen", national_id: "022090000901", full_name: "Người Nộp", password_hash: "x" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  return {
    clerk: { id: clerkId, agencyCode: TEST_AGENCY, fullName: "Cán bộ" },
    citizen: { id: citizenId, fullName: "Người Nộp", nationalId: "022090000901" },
  };
}

export function clerkActor(a: Actors) {
  return { role: "clerk" as const, userId: a.clerk.id, agencyCode: a.clerk.agencyCode };
}

export async function versionOf(db: Kysely<Database>, dossierId: string): Promise<number> {
  return (await db.selectFrom("dossiers").select("version").where("id", "=", dossierId).executeTakeFirstOrThrow())
    .version;
}

/**
 * A dossier of the citizen received at the counter, then (by `stage`) being processed, or waiting for its
 * fee (request_payment of `amountVnd`).
 */
export async function counterDossier(
  db: Kysely<Database>,
  a: Actors,
  stage: "received" | "processing" | "payment_requested",
  now = new Date(),
  amountVnd = 100_000,
): Promise<string> {
  const created = await intakeDossier(
    db,
    a.clerk,
    {
      procedureCode: "1.1",
      channel: "counter",
      nationalId: a.citizen.nationalId,
      fullName: a.citizen.fullName,
      scans: [],
    },
    now,
  );
  if ("problems" in created) throw new Error("intake");
  if (stage === "received") return created.id;
  await actOnDossier(db, created.id, { action: "start_processing", expectedVersion: 1 }, clerkActor(a), now);
  if (stage === "processing") return created.id;
  await actOnDossier(
    db,
    created.id,
    { action: "request_payment", input: { amountVnd }, expectedVersion: 2 },
    clerkActor(a),
    now,
  );
  return created.id;
}
