import { closeDb, rows as query } from "./attack/lib/db.ts";
import { DEMO, expect, signIn, test } from "./fixtures.ts";

async function refusals(username: string, path: string): Promise<number> {
  const rows = await query<{ n: number }>(
    `select count(*)::int as n from audit_events a join users u on u.id = a.actor_id
      where a.action = 'access_refused' and u.username is not distinct from $1 and a.entity_id = $2`,
    [username, path],
  );
  return rows[0]?.n ?? 0;
}

test.afterAll(closeDb);

test.describe("security", () => {
  test("a refused staff attempt is audited; a citizen's is not", async ({ page }) => {
    const before = await refusals("canbo.tuphap", "/admin");
    await signIn(page, "canbo.tuphap");
    expect((await page.goto("/admin"))?.status()).toBe(403);
    await expect.poll(() => refusals("canbo.tuphap", "/admin")).toBe(before + 1);
    const row = await query<{ data: { method: string; status: number; role: string } }>(
      `select a.data from audit_events a join users u on u.id = a.actor_id
        where a.action = 'access_refused' and u.username = 'canbo.tuphap' order by a.id desc limit 1`,
    );
    expect(row[0]?.data).toMatchObject({ method: "GET", status: 403, role: "clerk" });

    await page.context().clearCookies();
    await signIn(page, DEMO.citizen);
    const citizenBefore = await query<{ n: number }>(
      `select count(*)::int as n from audit_events where action = 'access_refused'`,
    );
    expect((await page.goto("/admin"))?.status()).toBe(403);
    await page.waitForTimeout(300);
    const citizenAfter = await query<{ n: number }>(
      `select count(*)::int as n from audit_events where action = 'access_refused'`,
    );
    expect(citizenAfter[0]?.n).toBe(citizenBefore[0]?.n);
  });

  test("staff pages run no script, under a nonce-based CSP with no 'unsafe-inline' scripts", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await signIn(page, DEMO.clerk);
    const response = await page.goto("/clerk");
    const csp = response?.headers()["content-security-policy"] ?? "";
    const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(scriptSrc).not.toContain("unsafe-inline");
    // Server-rendered HTML and forms only (docs/decisions/003): no framework, no inline script to allow.
    expect(await page.locator("script").count()).toBe(0);
    expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
    expect(violations).toEqual([]);
    // Personal pages are never stored by a browser or a proxy.
    expect(response?.headers()["cache-control"]).toContain("no-store");
  });

  test("the demo banner says plainly that this is a demonstration", async ({ page, axe }) => {
    await page.goto("/");
    await expect(page.getByRole("note")).toContainText("Bản trình diễn");
    await axe();
  });
});

test("the public look-up stops answering for a dossier code after 10 failed ID numbers", async ({ page }) => {
  const code = `000.00.31.H99-${String(Date.now()).slice(-6)}-9999`;
  await page.goto("/lookup");
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const response = await page.request.post("/lookup", {
      form: { csrf, code, nationalId: `0220900${String(10000 + i)}` },
      headers: { Origin: new URL(page.url()).origin },
    });
    statuses.push(response.status());
  }
  expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
  expect(statuses[10]).toBe(429);
});

test("verification links and QR codes come from PUBLIC_URL, never from the request's Host header", async ({ page }) => {
  const [row] = await query<{ id: string }>(
    `select d.id from dossiers d join dossier_results r on r.dossier_id = d.id join users u on u.id = d.applicant_id
      where u.national_id = $1 limit 1`,
    [DEMO.citizen],
  );
  expect(row).toBeTruthy();
  await signIn(page, DEMO.citizen);
  const own = new URL(page.url()).origin;
  const response = await page.request.get(`/dossiers/${row?.id}/result`, { headers: { Host: "evil.example" } });
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).not.toContain("evil.example");
  expect(html).toMatch(new RegExp(`href="${own}/verify\\?code=[A-Z0-9]{10}"`));
});

test("operators' signals: liveness, readiness, metrics for this machine only, request ids", async ({ request }) => {
  const health = await request.get("/healthz");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });
  expect(health.headers()["x-content-type-options"]).toBe("nosniff");
  const generated = health.headers()["x-request-id"];
  expect(generated).toMatch(/^[0-9a-f-]{36}$/);

  const ready = await request.get("/readyz", { headers: { "X-Request-Id": "probe-ready-1" } });
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready" });
  expect(ready.headers()["x-request-id"]).toBe("probe-ready-1");

  // A page with an id in its URL is counted under its route pattern, never its URL.
  await request.get("/tra-cuu-khong-co-123456");
  const metrics = await request.get("/metrics");
  expect(metrics.status()).toBe(200);
  expect(metrics.headers()["content-type"]).toContain("text/plain");
  const text = await metrics.text();
  expect(text).toMatch(
    /portal_http_request_duration_seconds_count\{method="GET",route="routes\/healthz",status="200"\} [1-9]/,
  );
  expect(text).toMatch(/portal_job_queue_jobs\{state="ready"\} \d+/);
  expect(text).toMatch(/portal_db_pool_connections\{pool="app"\} \d+/);
  expect(text).toContain("portal_payment_outcomes_total");
  expect(text).toContain("portal_process_resident_memory_bytes");
  expect(text).not.toContain("tra-cuu-khong-co-123456");

  // Through a reverse proxy (X-Forwarded-For) the caller is not "this machine": the page does not exist.
  const proxied = await request.get("/metrics", { headers: { "X-Forwarded-For": "203.0.113.9" } });
  expect(proxied.status()).toBe(404);
  expect(await proxied.text()).not.toContain("portal_");
});
