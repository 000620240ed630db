/**
 * One test (or more) per security finding: forged IPN, open redirect, unbounded chunked bodies, CSRF,
 * answers ≥ 500 seen in review, caching of personal pages, the Content-Security-Policy, and the look-up by
 * ID number in the URL. Every test speaks HTTP directly (lib/http.ts) against the e2e server.
 */
import crypto from "node:crypto";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { closeDb, diff, fingerprint, one, settleJobs } from "./lib/db.ts";
import { csrfFromHtml, ORIGIN, PORT, type Res, send, stats, urlencoded, Visitor } from "./lib/http.ts";
import { GATEWAY_SECRET, signedReturnQuery, TMN_CODE, vnpSign } from "./lib/vnpay.ts";
import { ACCOUNTS, clerkAct, fileOnline, getWorld, pendingOnlinePayment, type World } from "./lib/world.ts";

let w: World;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  stats.reset();
  w = await getWorld();
  await settleJobs();
});

test.afterAll(async () => {
  console.log(`[findings] ${stats.requests} requests, ${stats.serverErrors.length} responses ≥ 500`);
  for (const e of stats.serverErrors) console.log(`[findings]   ${e.status} ${e.method} ${e.path}`);
  await closeDb();
});

/** Asserts the database's domain tables are the same after `act` as before. */
async function unchanged<T>(what: string, act: () => Promise<T>): Promise<T> {
  await settleJobs();
  const before = await fingerprint();
  const result = await act();
  expect(diff(before, await fingerprint()), `${what}: tables changed`).toEqual([]);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Forged IPN
// ---------------------------------------------------------------------------------------------------------

function ipnParams(orderRef: string, amountVnd: number, over: Record<string, string> = {}): Record<string, string> {
  return {
    vnp_Amount: String(amountVnd * 100),
    vnp_BankCode: "NCB",
    vnp_OrderInfo: "Thanh toan phi ho so",
    vnp_PayDate: "20261126090000",
    vnp_ResponseCode: "00",
    vnp_TmnCode: TMN_CODE,
    vnp_TransactionNo: String(90_000_000 + Math.floor(Math.random() * 9_000_000)),
    vnp_TransactionStatus: "00",
    vnp_TxnRef: orderRef,
    ...over,
  };
}

async function sendIpn(params: Record<string, string>, hash: string | null): Promise<{ res: Res; rsp: string }> {
  const query = new URLSearchParams(params);
  if (hash !== null) query.set("vnp_SecureHash", hash);
  const res = await send({ path: `/api/payments/ipn?${query.toString()}` });
  let rsp = "";
  try {
    rsp = String((JSON.parse(res.body) as { RspCode?: string }).RspCode ?? "");
  } catch {
    rsp = `(not JSON: ${res.body.slice(0, 80)})`;
  }
  return { res, rsp };
}

async function paymentState(paymentId: string) {
  return one<{ status: string; receipt_no: string | null; dossier_status: string; transaction_no: string | null }>(
    `select p.status, p.receipt_no, p.transaction_no, d.status as dossier_status
       from payments p join dossiers d on d.id = p.dossier_id where p.id = $1`,
    [paymentId],
  );
}

test.describe("forged IPN", () => {
  test("an IPN signed with a wrong secret, for a real pending payment, is refused and changes nothing", async () => {
    const p = await pendingOnlinePayment(w.visitors);
    const params = ipnParams(p.orderRef, p.amountVnd);
    const wrongSecrets = ["not-the-gateway-secret", "", "demo-only-session-secret-change-me", `${GATEWAY_SECRET} `];
    for (const secret of wrongSecrets) {
      await unchanged(`IPN signed with ${JSON.stringify(secret)}`, async () => {
        const { res, rsp } = await sendIpn(params, vnpSign(params, secret));
        expect(res.status, `IPN with secret ${JSON.stringify(secret)}`).toBeLessThan(500);
        expect(rsp, `IPN with secret ${JSON.stringify(secret)} must not be confirmed`).not.toBe("00");
      });
    }
    // No hash, an empty one, the right hash of other params, upper-case garbage.
    for (const hash of [null, "", vnpSign({ ...params, vnp_Amount: "100" }, GATEWAY_SECRET), "A".repeat(128)]) {
      await unchanged(`IPN with hash ${String(hash).slice(0, 12)}`, async () => {
        const { res, rsp } = await sendIpn(params, hash);
        expect(res.status).toBeLessThan(500);
        expect(rsp).not.toBe("00");
      });
    }
    const after = await paymentState(p.paymentId);
    expect(after, "the payment stays pending, without a receipt").toMatchObject({
      status: "pending",
      receipt_no: null,
      dossier_status: "payment_requested",
    });
  });

  test("a made-up transaction for a pending order, signed with the right secret but a wrong amount, is refused", async () => {
    const p = await pendingOnlinePayment(w.visitors);
    for (const amount of [1, p.amountVnd - 1, p.amountVnd + 1, p.amountVnd * 10]) {
      const params = ipnParams(p.orderRef, amount);
      await unchanged(`IPN for ${amount} đ instead of ${p.amountVnd} đ`, async () => {
        const { res, rsp } = await sendIpn(params, vnpSign(params, GATEWAY_SECRET));
        expect(res.status).toBeLessThan(500);
        // 04 proves the signature was accepted and the amount is what refused it.
        expect(rsp, `amount ${amount} đ for an order of ${p.amountVnd} đ`).toBe("04");
      });
    }
    const usd = ipnParams(p.orderRef, p.amountVnd, { vnp_CurrCode: "USD" });
    await unchanged("IPN in USD", async () => {
      const { rsp } = await sendIpn(usd, vnpSign(usd, GATEWAY_SECRET));
      expect(rsp).not.toBe("00");
    });
    const unknown = ipnParams(`ATTACK${Date.now()}`, p.amountVnd);
    await unchanged("IPN for an order that does not exist", async () => {
      const { rsp } = await sendIpn(unknown, vnpSign(unknown, GATEWAY_SECRET));
      expect(rsp).toBe("01");
    });
    expect(await paymentState(p.paymentId)).toMatchObject({ status: "pending", receipt_no: null });

    // Control: the same signing with the right amount is what the gateway sends, and it is accepted exactly once.
    const good = ipnParams(p.orderRef, p.amountVnd);
    const { rsp } = await sendIpn(good, vnpSign(good, GATEWAY_SECRET));
    expect(rsp, "a correctly signed IPN (control)").toBe("00");
    expect(await paymentState(p.paymentId)).toMatchObject({ status: "paid", transaction_no: good.vnp_TransactionNo });
    const again = await sendIpn(good, vnpSign(good, GATEWAY_SECRET));
    expect(again.rsp, "replayed IPN").toBe("02");
  });

  test("an IPN whose vnp_SecureHash is 128 non-ASCII characters gets an answer, not a 500, and changes nothing", async () => {
    const p = await pendingOnlinePayment(w.visitors);
    const params = ipnParams(p.orderRef, p.amountVnd);
    for (const hash of ["é".repeat(128), "\u3000".repeat(128), "😀".repeat(64), `${"a".repeat(127)}é`]) {
      await unchanged("IPN with a non-ASCII hash", async () => {
        const { res, rsp } = await sendIpn(params, hash);
        expect(res.status, `IPN with hash ${hash.slice(0, 4)}… (${hash.length} chars)`).toBeLessThan(500);
        expect(rsp).not.toBe("00");
      });
    }
    expect(await paymentState(p.paymentId)).toMatchObject({ status: "pending", receipt_no: null });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Open redirect
// ---------------------------------------------------------------------------------------------------------

/** Values of `redirectTo` that a browser could resolve to another origin, or that break the header. */
const REDIRECT_PAYLOADS = [
  "/\t/evil.example", // %2F%09%2Fevil.example: browsers drop the tab → //evil.example
  "/\n/evil.example",
  "/\r/evil.example",
  "/\r\n/evil.example",
  "/\x0b/evil.example",
  "/\u3000/evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "//evil.example",
  "///evil.example",
  "\t//evil.example",
  " //evil.example",
  "https://evil.example",
  "https:evil.example",
  "javascript:alert(1)",
  "/%2F/evil.example",
  "/%5C/evil.example",
  "/%09/evil.example",
  "/\u0085/evil.example",
  "/\u00a0/evil.example",
  "/\u2028/evil.example",
];

const BASE_ORIGIN = new URL(ORIGIN).origin;

/** A string with everything outside printable ASCII shown as \uXXXX, so a report shows what was really sent. */
function visible(s: string | undefined): string {
  if (s === undefined) return "(none)";
  return `"${[...s].map((c) => (/[\x21-\x7e ]/.test(c) && c !== '"' ? c : `\\u{${c.codePointAt(0)?.toString(16)}}`)).join("")}"`;
}

/** The redirect's target must stay on this origin and be a clean header value. */
function expectSafeLocation(res: Res, what: string): void {
  expect(res.status, `${what}: status`).toBeLessThan(500);
  const location = res.location;
  if (location === undefined) return;
  const bad = [...location].filter((c) => {
    const n = c.codePointAt(0) ?? 0;
    return n <= 0x20 || (n >= 0x7f && n <= 0xa0) || /\s/u.test(c) || c === "\\";
  });
  expect(
    bad.map((c) => visible(c)),
    `${what}: control characters, whitespace or backslashes in Location`,
  ).toEqual([]);
  expect(new URL(location, ORIGIN).origin, `${what}: Location ${visible(location)} leaves the site`).toBe(BASE_ORIGIN);
}

test.describe("open redirect", () => {
  test("sign-in: redirectTo in the link and in the form never leads off-site, and never half-signs-in", async () => {
    const { id: userId } = await one<{ id: string }>("select id from users where national_id = $1", [
      ACCOUNTS.citizenBinh,
    ]);
    const failures: string[] = [];
    for (const payload of REDIRECT_PAYLOADS) {
      const what = `sign-in with redirectTo=${visible(payload)}`;
      const v = new Visitor("redirect-probe", ACCOUNTS.citizenBinh);
      const page = await v.page(`/auth/login?redirectTo=${encodeURIComponent(payload)}`);
      expect.soft(page.status, `${what}: GET /auth/login`).toBeLessThan(500);
      const sessionsBefore = Number(
        (await one<{ n: string }>("select count(*) as n from sessions where user_id = $1", [userId])).n,
      );
      const res = await v.post("/auth/login", [
        ["redirectTo", payload],
        ["identifier", ACCOUNTS.citizenBinh],
        ["password", "DemoPortal2026"],
      ]);
      try {
        expectSafeLocation(res, what);
      } catch (error) {
        failures.push(
          `${what}: ${res.status} Location=${visible(res.location)} — ${(error as Error).message.split("\n")[0]?.replace(`${what}: `, "")}`,
        );
      }
      if (res.status >= 400) {
        const sessionsAfter = Number(
          (await one<{ n: string }>("select count(*) as n from sessions where user_id = $1", [userId])).n,
        );
        if (sessionsAfter !== sessionsBefore)
          failures.push(`${what}: answered ${res.status} but wrote a session for the user`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });

  test("language switch: redirectTo never leads off-site", async () => {
    const failures: string[] = [];
    for (const visitor of [w.visitors.anonymous, w.visitors.citizenAn]) {
      for (const payload of REDIRECT_PAYLOADS) {
        const what = `${visitor.name} POST /resources/language redirectTo=${visible(payload)}`;
        const res = await visitor.post("/resources/language", [
          ["lng", "vi"],
          ["redirectTo", payload],
        ]);
        try {
          expectSafeLocation(res, what);
        } catch (error) {
          failures.push(
            `${what}: ${res.status} Location=${visible(res.location)} — ${(error as Error).message.split("\n")[0]?.replace(`${what}: `, "")}`,
          );
        }
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Request bodies without a length
// ---------------------------------------------------------------------------------------------------------

type StreamOutcome = {
  status: number | null;
  bytesWhenAnswered: number;
  bytesSent: number;
  ms: number;
  error?: string;
};

/**
 * Streams `total` bytes to a POST target with node:http, in 64 KiB chunks, with either Transfer-Encoding:
 * chunked (no Content-Length) or a Content-Length. The headers go first, then a short pause (a server that
 * refuses on the headers answers now), then the body; writing stops as soon as the server answers.
 */
function streamBody(opts: {
  path: string;
  total: number;
  contentType: string;
  cookie?: string;
  chunked: boolean;
}): Promise<StreamOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let sent = 0;
    let answeredAt: number | null = null;
    let status: number | null = null;
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      resolve({ status, bytesWhenAnswered: answeredAt ?? sent, bytesSent: sent, ms: Date.now() - started, error });
    };
    const headers: Record<string, string> = {
      Host: `localhost:${PORT}`,
      "Content-Type": opts.contentType,
      Origin: ORIGIN,
      ...(opts.cookie ? { Cookie: opts.cookie } : {}),
      ...(opts.chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": String(opts.total) }),
    };
    const req = http.request({ host: "127.0.0.1", port: PORT, method: "POST", path: opts.path, headers, agent: false });
    req.setTimeout(90_000, () => req.destroy(new Error("timeout")));
    req.on("response", (res) => {
      status = res.statusCode ?? null;
      answeredAt = sent;
      stats.requests++;
      if ((status ?? 0) >= 500)
        stats.serverErrors.push({ method: "POST", path: opts.path, status: status ?? 0, note: "stream" });
      res.resume();
      res.on("end", () => {
        req.destroy();
        finish();
      });
      res.on("error", () => finish());
    });
    req.on("error", (e) => {
      // A server that answered and closed may reset the connection while the body is still being written.
      setTimeout(() => finish(status === null ? e.message : undefined), 300);
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      if (done || answeredAt !== null) return;
      if (sent >= opts.total) {
        req.end();
        return;
      }
      const n = Math.min(chunk.length, opts.total - sent);
      sent += n;
      const more = req.write(n === chunk.length ? chunk : chunk.subarray(0, n));
      if (more) setImmediate(pump);
      else req.once("drain", () => setImmediate(pump));
    };
    req.flushHeaders();
    setTimeout(pump, 200);
  });
}

const MB = 1024 * 1024;

test.describe("request bodies", () => {
  test("a 40 MB chunked POST without Content-Length to a page action is refused (411/413) before it is all read", async () => {
    test.setTimeout(120_000);
    const anon = new Visitor("chunked-anon", null);
    await anon.page("/auth/login");
    const citizen = w.visitors.citizenAn;
    const targets = [
      { path: "/auth/login", contentType: "application/x-www-form-urlencoded", cookie: anon.jar.header() },
      { path: "/dossiers/new/1.001193", contentType: "multipart/form-data; boundary=x", cookie: citizen.jar.header() },
      { path: "/resources/language", contentType: "application/x-www-form-urlencoded", cookie: citizen.jar.header() },
    ];
    const failures: string[] = [];
    for (const t of targets) {
      const out = await unchanged(`chunked POST ${t.path}`, () =>
        streamBody({ path: t.path, total: 40 * MB, contentType: t.contentType, cookie: t.cookie, chunked: true }),
      );
      const line = `POST ${t.path} chunked 40 MB: status ${out.status}, answered after ${(out.bytesWhenAnswered / MB).toFixed(1)} MB, ${out.ms} ms${out.error ? `, ${out.error}` : ""}`;
      console.log(`[findings] ${line}`);
      if (out.status === null) failures.push(`${line}: no answer`);
      else if (out.status !== 411 && out.status !== 413) failures.push(`${line}: expected 411 or 413`);
      // The limit is 12 MiB; whatever sits in socket buffers comes on top. Reading all 40 MB first is the bug.
      else if (out.bytesWhenAnswered > 24 * MB) failures.push(`${line}: the server read (almost) all of it first`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
    // The server is still answering.
    expect((await send({ path: "/api/health" })).status).toBe(200);
  });

  test("a body with a Content-Length over 12 MiB gets a 413", async () => {
    const citizen = w.visitors.citizenAn;
    const out = await unchanged("13 MiB POST", () =>
      streamBody({
        path: "/dossiers/new/1.001193",
        total: 13 * MB,
        contentType: "multipart/form-data; boundary=x",
        cookie: citizen.jar.header(),
        chunked: false,
      }),
    );
    console.log(
      `[findings] Content-Length 13 MiB: status ${out.status} after ${(out.bytesWhenAnswered / MB).toFixed(1)} MB`,
    );
    expect(out.status).toBe(413);
  });
});

// ---------------------------------------------------------------------------------------------------------
// CSRF
// ---------------------------------------------------------------------------------------------------------

function csrfCookieOf(v: Visitor): string {
  const c = v.jar.cookies.get("portal_csrf");
  if (!c) throw new Error(`${v.name} has no portal_csrf cookie`);
  return c;
}

/** POSTs with exactly the given cookies and fields (no token added). */
function rawPost(path: string, cookie: string, pairs: Array<[string, string]>, origin: string | null = ORIGIN) {
  return send({
    method: "POST",
    path,
    body: urlencoded(pairs),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: cookie,
      ...(origin === null ? {} : { Origin: origin }),
    },
  });
}

function cookieHeader(v: Visitor, overrides: Record<string, string | null>): string {
  const jar = v.jar.clone();
  for (const [k, val] of Object.entries(overrides)) {
    if (val === null) jar.cookies.delete(k);
    else jar.cookies.set(k, val);
  }
  return jar.header() ?? "";
}

test.describe("CSRF", () => {
  test("a POST without a token is refused with 403 and changes nothing", async () => {
    const cases: Array<{ v: Visitor; path: string; fields: Array<[string, string]> }> = [
      {
        v: w.visitors.anonymous,
        path: "/resources/language",
        fields: [
          ["lng", "en"],
          ["redirectTo", "/"],
        ],
      },
      {
        v: w.visitors.anonymous,
        path: "/auth/login",
        fields: [
          ["identifier", ACCOUNTS.citizenBinh],
          ["password", "DemoPortal2026"],
        ],
      },
      { v: w.visitors.citizenAn, path: "/auth/logout", fields: [] },
      {
        v: w.visitors.citizenAn,
        path: "/dossiers/new/1.001193",
        fields: [
          ["childFullName", "CSRF"],
          ["intent", "save"],
        ],
      },
      {
        v: w.visitors.clerkTuphap,
        path: `/clerk/dossiers/${w.justice.id}`,
        fields: [
          ["intent", "assign"],
          ["version", "1"],
        ],
      },
      {
        v: w.visitors.managerTinh,
        path: "/manager/targets",
        fields: [
          ["agency", "000.00.00.H99"],
          ["indicator", "onTimeRate"],
          ["target", "99"],
          ["intent", "set"],
        ],
      },
      {
        v: w.visitors.admin,
        path: "/admin/calendar",
        fields: [
          ["date", "2031-01-02"],
          ["kind", "holiday"],
          ["intent", "add"],
        ],
      },
    ];
    for (const c of cases) {
      for (const token of [null, "", "x"]) {
        const fields: Array<[string, string]> = token === null ? c.fields : [["csrf", token], ...c.fields];
        const res = await unchanged(`${c.v.name} POST ${c.path} token=${token}`, () =>
          rawPost(c.path, c.v.jar.header() ?? "", fields),
        );
        expect(res.status, `${c.v.name} POST ${c.path} with token ${JSON.stringify(token)}`).toBe(403);
      }
    }
    // The citizen is still signed in (the refused sign-out did nothing).
    expect((await w.visitors.citizenAn.get("/account")).status).toBe(200);
  });

  test("another visitor's token, with the victim's cookies, is refused with 403", async () => {
    const attacker = new Visitor("csrf-attacker", null);
    const attackerToken = csrfFromHtml((await attacker.page("/")).body) ?? "";
    expect(attackerToken).not.toBe("");
    for (const victim of [w.visitors.anonymous, w.visitors.citizenAn, w.visitors.clerkTuphap]) {
      const res = await unchanged(`token of another visitor for ${victim.name}`, () =>
        rawPost("/resources/language", victim.jar.header() ?? "", [
          ["csrf", attackerToken],
          ["lng", "en"],
          ["redirectTo", "/"],
        ]),
      );
      expect(res.status, `${victim.name} with another visitor's token`).toBe(403);
    }
  });

  test("a cookie+token pair forged with a secret other than the server's is refused with 403", async () => {
    const forge = (secret: string) => {
      const token = crypto.randomBytes(24).toString("base64url");
      return { token, cookie: `${token}.${crypto.createHmac("sha256", secret).update(token).digest("base64url")}` };
    };
    const secrets = [
      "attack-suite-guess",
      "",
      // The demo session secret: the CSRF pair must not be forgeable from a public default.
      "demo-only-session-secret-change-me",
      "demo-secret-change-me",
    ];
    const failures: string[] = [];
    for (const victim of [w.visitors.anonymous, w.visitors.citizenAn]) {
      for (const secret of secrets) {
        const { token, cookie } = forge(secret);
        const res = await unchanged(`forged pair (${secret})`, () =>
          rawPost("/resources/language", cookieHeader(victim, { portal_csrf: cookie }), [
            ["csrf", token],
            ["lng", "en"],
            ["redirectTo", "/"],
          ]),
        );
        if (res.status !== 403)
          failures.push(
            `${victim.name}: pair signed with ${JSON.stringify(secret)} answered ${res.status} (expected 403)`,
          );
      }
      // Malformed pairs.
      for (const cookie of ["abc", "abc.", ".abc", "abc.def.ghi", "%00.%00"]) {
        const res = await rawPost("/resources/language", cookieHeader(victim, { portal_csrf: cookie }), [
          ["csrf", cookie.split(".")[0] ?? ""],
          ["lng", "en"],
          ["redirectTo", "/"],
        ]);
        if (res.status !== 403) failures.push(`${victim.name}: malformed cookie ${cookie} answered ${res.status}`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });

  test("a token from before signing in (or from another account's session) is refused after sign-in", async () => {
    const failures: string[] = [];
    // A signed-out visitor's token, then the same browser signs in.
    const v = new Visitor("csrf-fixation", ACCOUNTS.citizenBinh);
    const before = csrfFromHtml((await v.page("/")).body) ?? "";
    await v.signIn();
    const res = await rawPost("/resources/language", v.jar.header() ?? "", [
      ["csrf", before],
      ["lng", "vi"],
      ["redirectTo", "/"],
    ]);
    if (res.status !== 403) failures.push(`token issued before sign-in, used after it: ${res.status} (expected 403)`);
    // A token of one account's session, reused after signing out and in as someone else.
    const u = new Visitor("csrf-switch", ACCOUNTS.citizenBinh);
    await u.signIn();
    const binhToken = await u.csrf();
    await u.signOut();
    const u2 = new Visitor("csrf-switch-2", ACCOUNTS.citizenAn);
    for (const [k, val] of u.jar.cookies) u2.jar.cookies.set(k, val);
    await u2.signIn();
    const res2 = await rawPost("/resources/language", u2.jar.header() ?? "", [
      ["csrf", binhToken],
      ["lng", "vi"],
      ["redirectTo", "/"],
    ]);
    if (res2.status !== 403)
      failures.push(`another account's session token after switching accounts: ${res2.status} (expected 403)`);
    // The attacker's own anonymous pair, planted next to a victim's session cookie (cookie tossing).
    const attacker = new Visitor("csrf-toss", null);
    const tossToken = csrfFromHtml((await attacker.page("/")).body) ?? "";
    const res3 = await rawPost(
      "/resources/language",
      cookieHeader(w.visitors.citizenAn, { portal_csrf: csrfCookieOf(attacker) }),
      [
        ["csrf", tossToken],
        ["lng", "vi"],
        ["redirectTo", "/"],
      ],
    );
    if (res3.status !== 403)
      failures.push(`an anonymous visitor's pair next to a citizen's session: ${res3.status} (expected 403)`);
    // Control: the visitor's own current token still works.
    const ok = await v.post("/resources/language", [
      ["lng", "vi"],
      ["redirectTo", "/"],
    ]);
    expect(ok.status, "the visitor's own token after sign-in (control)").toBe(302);
    expect(failures, failures.join("\n")).toEqual([]);
  });

  test("a page POST with a foreign Origin is refused with 403 (not a 500)", async () => {
    const failures: string[] = [];
    const origins = ["https://evil.example", `http://localhost:${PORT}.evil.example`, "null"];
    const targets: Array<{ v: Visitor; path: string; fields: Array<[string, string]> }> = [
      {
        v: w.visitors.anonymous,
        path: "/resources/language",
        fields: [
          ["lng", "en"],
          ["redirectTo", "/"],
        ],
      },
      {
        v: w.visitors.anonymous,
        path: "/auth/login",
        fields: [
          ["identifier", ACCOUNTS.citizenBinh],
          ["password", "DemoPortal2026"],
          ["redirectTo", ""],
        ],
      },
      { v: w.visitors.citizenAn, path: `/dossiers/${w.justice.id}`, fields: [["intent", "attack-probe"]] },
      { v: w.visitors.clerkTuphap, path: "/clerk/intake", fields: [["procedureCode", "3.000333"]] },
    ];
    for (const origin of origins) {
      for (const t of targets) {
        const token = await t.v.csrf();
        const res = await unchanged(`Origin ${origin} → ${t.path}`, () =>
          rawPost(t.path, t.v.jar.header() ?? "", [["csrf", token], ...t.fields], origin),
        );
        if (res.status !== 403)
          failures.push(`${t.v.name} POST ${t.path} with Origin ${origin}: ${res.status} (expected 403)`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
    // Control: the same POST from this origin is not refused for its origin.
    const res = await w.visitors.anonymous.post("/resources/language", [
      ["lng", "vi"],
      ["redirectTo", "/"],
    ]);
    expect(res.status).toBe(302);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Answers ≥ 500 seen in review
// ---------------------------------------------------------------------------------------------------------

const NOT_UUIDS = [
  "-".repeat(36),
  "0".repeat(36),
  "g".repeat(36),
  `${"0".repeat(35)}-`,
  "00000000-0000-0000-0000-00000000000%",
];

test.describe("no 500 on malformed input seen in review", () => {
  test("metrics for year 1 (from=0001-01-01&to=0001-12-31) is a 4xx, not a 500", async () => {
    for (const q of [
      "from=0001-01-01&to=0001-12-31",
      "from=0000-01-01&to=0000-01-02",
      "from=9999-12-01&to=9999-12-31",
    ]) {
      const res = await send({ path: `/api/v1/metrics?${q}` });
      expect(res.status, `/api/v1/metrics?${q}`).toBeLessThan(500);
    }
  });

  test("a 36-character non-UUID where a UUID is expected is a 4xx, not a 500", async () => {
    const failures: string[] = [];
    const v = w.visitors;
    for (const raw of NOT_UUIDS) {
      const x = encodeURIComponent(raw);
      const probes: Array<[Visitor, string, "GET" | "POST"]> = [
        [v.citizenAn, `/dossiers/${x}`, "GET"],
        [v.citizenAn, `/dossiers/${x}`, "POST"],
        [v.citizenAn, `/dossiers/${x}/edit`, "GET"],
        [v.citizenAn, `/dossiers/${x}/check`, "POST"],
        [v.citizenAn, `/dossiers/${x}/result`, "GET"],
        [v.citizenAn, `/dossiers/${w.justice.id}/files/${x}`, "GET"],
        [v.citizenAn, `/dossiers/${x}/files/${x}`, "GET"],
        [v.citizenAn, `/payments/${x}/receipt`, "GET"],
        [v.clerkTuphap, `/clerk/dossiers/${x}`, "GET"],
        [v.clerkTuphap, `/clerk/dossiers/${x}`, "POST"],
        [v.clerkTuphap, `/clerk/dossiers/${w.justice.id}/files/${x}`, "GET"],
        [v.clerkTuphap, `/payments/${x}/receipt`, "GET"],
        [v.managerTinh, `/manager/dossiers/${x}`, "GET"],
        [v.admin, `/admin/imports/${x}/errors.csv`, "GET"],
        [v.admin, `/admin/imports?queued=${x}`, "GET"],
      ];
      for (const [visitor, path, method] of probes) {
        const res =
          method === "GET"
            ? await visitor.get(path)
            : await unchanged(`POST ${path}`, () =>
                visitor.post(path, [
                  ["intent", "withdraw"],
                  ["version", "1"],
                ]),
              );
        if (res.status >= 500) failures.push(`${visitor.name} ${method} ${path}: ${res.status}`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });

  test("a clerk's assign with a malformed assignee, or an apology with an impossible date, is a 4xx, not a 500", async () => {
    const tuphap = w.visitors.clerkTuphap;
    const id = await fileOnline(
      w.visitors.citizenAn,
      "3.000334",
      [
        ["requestingOrganisation", "Công an tỉnh"],
        ["subjectFullName", "Nguyễn Văn An"],
        ["purpose", "attack suite: malformed clerk input"],
      ],
      1,
    );
    await clerkAct(tuphap, id, "receive");
    const failures: string[] = [];
    const version = async () =>
      String((await one<{ version: number }>("select version from dossiers where id = $1", [id])).version);
    for (const assigneeId of ["not-a-uuid", "-".repeat(36), "𐐠&𝅘𝅥𝅯", "00000000-0000-0000-0000-00000000000g"]) {
      const res = await unchanged(`assign ${assigneeId}`, async () =>
        tuphap.post(`/clerk/dossiers/${id}`, [
          ["intent", "assign"],
          ["assigneeId", assigneeId],
          ["version", await version()],
        ]),
      );
      if (res.status >= 500) failures.push(`assign assigneeId=${JSON.stringify(assigneeId)}: ${res.status}`);
    }
    for (const newDueDate of ["2025-13-01", "2026-02-30", "0000-00-00", "2026-04-31"]) {
      const res = await unchanged(`apologise ${newDueDate}`, async () =>
        tuphap.post(`/clerk/dossiers/${id}`, [
          ["intent", "apologise"],
          ["reason", "attack suite"],
          ["newDueDate", newDueDate],
          ["version", await version()],
        ]),
      );
      if (res.status >= 500) failures.push(`apologise newDueDate=${newDueDate}: ${res.status}`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Caching of personal pages; Content-Security-Policy
// ---------------------------------------------------------------------------------------------------------

function isNotStored(cacheControl: string | undefined): boolean {
  const cc = (cacheControl ?? "").toLowerCase();
  return cc.includes("no-store") || (cc.includes("private") && cc.includes("no-cache"));
}

test("pages with personal data are sent with Cache-Control: no-store", async () => {
  const v = w.visitors;
  const pages: Array<[Visitor, string]> = [
    [v.citizenAn, `/dossiers/${w.justice.id}`],
    [v.citizenAn, "/dossiers"],
    [v.citizenAn, "/account"],
    [v.citizenAn, "/notifications"],
    [v.citizenAn, `/payments/${w.justice.paymentId}/receipt`],
    [v.citizenAn, `/dossiers/${w.justice.id}/result`],
    [v.citizenAn, `/dossiers/${w.draft.id}/edit`],
    [v.citizenAn, `/payments/return?${signedReturnQuery(w.justice.orderRef)}`],
    [v.citizenAn, `/dossiers/${w.justice.id}/files/${w.justice.fileId}`],
    [v.clerkTuphap, `/payments/${w.justice.paymentId}/receipt`],
    [v.clerkTuphap, "/clerk"],
    [v.clerkTuphap, `/clerk/dossiers/${w.justice.id}`],
    [v.clerkTuphap, `/clerk/dossiers/${w.justice.id}/files/${w.justice.fileId}`],
    [v.managerTinh, `/manager/dossiers/${w.justice.id}`],
    [v.managerTinh, "/manager/dossiers.csv?metric=received"],
  ];
  const failures: string[] = [];
  for (const [visitor, path] of pages) {
    const res = await visitor.get(path);
    expect(res.status, `${visitor.name} GET ${path}`).toBe(200);
    const cc = res.headers["cache-control"];
    if (!isNotStored(cc)) failures.push(`${visitor.name} GET ${path}: Cache-Control: ${cc ?? "(none)"}`);
  }
  expect(failures, failures.join("\n")).toEqual([]);
});

test("the Content-Security-Policy allows no inline script without a nonce ('unsafe-inline' not in script-src)", async () => {
  const v = w.visitors;
  const pages: Array<[Visitor, string]> = [
    [v.anonymous, "/"],
    [v.anonymous, "/auth/login"],
    [v.anonymous, "/procedures"],
    [v.citizenAn, `/dossiers/${w.justice.id}`],
    [v.clerkTuphap, `/clerk/dossiers/${w.justice.id}`],
    [v.managerTinh, "/manager"],
    [v.admin, "/admin/calendar"],
  ];
  const failures: string[] = [];
  for (const [visitor, path] of pages) {
    let res = await visitor.get(path);
    if (res.status >= 300 && res.status < 400 && res.location)
      res = await visitor.get(res.location.replace(ORIGIN, ""));
    const csp = String(res.headers["content-security-policy"] ?? "");
    if (!csp) {
      failures.push(`${path}: no Content-Security-Policy`);
      continue;
    }
    const directives = new Map(
      csp
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map((d) => [d[0]?.toLowerCase() ?? "", d.slice(1)] as const),
    );
    const scriptSrc = directives.get("script-src") ?? directives.get("default-src") ?? [];
    if (scriptSrc.includes("'unsafe-inline'")) failures.push(`${path}: script-src ${scriptSrc.join(" ")}`);
    // Every inline script must carry the nonce the header allows, or the page breaks once 'unsafe-inline' is gone.
    const nonces = scriptSrc.filter((s) => s.startsWith("'nonce-")).map((s) => s.slice(7, -1));
    for (const m of res.body.matchAll(/<script\b([^>]*)>/g)) {
      const attrs = m[1] ?? "";
      if (/\bsrc=/.test(attrs)) continue;
      const nonce = /\bnonce="([^"]*)"/.exec(attrs)?.[1];
      if (!nonce || !nonces.includes(nonce)) {
        failures.push(`${path}: an inline <script${attrs.slice(0, 40)}> has no matching nonce`);
        break;
      }
    }
  }
  expect(failures, failures.join("\n")).toEqual([]);
});

// ---------------------------------------------------------------------------------------------------------
// Look-up by dossier code and ID number
// ---------------------------------------------------------------------------------------------------------

test.describe("look-up", () => {
  const procedureName = "Cấp Phiếu Lý lịch tư pháp";

  test("GET /lookup with code and ID number in the URL does not look anything up", async () => {
    const res = await w.visitors.anonymous.get(
      `/lookup?code=${encodeURIComponent(w.justice.code)}&nationalId=${w.justice.applicantNationalId}`,
    );
    expect(res.status).toBeLessThan(500);
    expect(res.body.includes(procedureName), "dossier data in the answer to a GET with the ID number in the URL").toBe(
      false,
    );
    expect(res.body.includes('id="lookup-result"'), "a look-up result section").toBe(false);
  });

  test("POST /lookup with a CSRF token finds the dossier; without one it is refused", async () => {
    const anon = new Visitor("lookup", null);
    await anon.page("/lookup");
    const found = await anon.post("/lookup", [
      ["code", w.justice.code],
      ["nationalId", w.justice.applicantNationalId],
    ]);
    expect(found.status, "POST /lookup").toBe(200);
    expect(found.body.includes(procedureName), "the dossier's procedure in the POST's answer").toBe(true);
    const wrongId = await anon.post("/lookup", [
      ["code", w.justice.code],
      ["nationalId", ACCOUNTS.citizenBinh],
    ]);
    expect(wrongId.status).toBeLessThan(500);
    expect(wrongId.body.includes(procedureName), "another ID number finds nothing").toBe(false);
    const noToken = await anon.post(
      "/lookup",
      [
        ["code", w.justice.code],
        ["nationalId", w.justice.applicantNationalId],
      ],
      { csrf: false },
    );
    expect(noToken.status, "POST /lookup without a CSRF token").toBe(403);
    expect(noToken.body.includes(procedureName)).toBe(false);
  });
});
