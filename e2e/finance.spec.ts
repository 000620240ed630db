/**
 * The finance view (issue 16 points 2 and 3, ADR 012): a clerk with the finance duty sees today's takings,
 * imports the gateway's settlement file, finds a planted discrepancy on the page and in the CSV, and resolves
 * it (audited); a payment needing review is resolved (audited); other staff and citizens get 403; and the
 * forms work without JavaScript.
 */
import type { Page } from "@playwright/test";
import { closeDb, rows } from "./attack/lib/db.ts";
import { DEMO, expect, signIn, signOut, test } from "./fixtures.ts";

test.describe.configure({ mode: "serial" });

const FINANCE = "ketoan.tinh";
const GATEWAY = `http://127.0.0.1:${process.env.E2E_GATEWAY_PORT ?? "8099"}`;
const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 31 * 3_600_000).toISOString().slice(0, 10);

/** Shared by the tests below (serial): the order paid online in the first, the discrepancies planted for it. */
const state = { code: "", orderRef: "", planted: "" };

async function plant(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${GATEWAY}/_sim/plant`, { method: "POST", body: JSON.stringify(body) });
  expect(res.status, await res.text()).toBe(200);
}

/** canbo.halong registers a household-business dossier for the demo citizen and asks for its 100,000 đ fee. */
async function dossierAwaitingItsFee(page: Page): Promise<string> {
  await signIn(page, DEMO.clerk);
  await page.getByRole("link", { name: "Tiếp nhận hồ sơ giấy" }).click();
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Thủ tục").selectOption({ label: "Đăng ký thành lập hộ kinh doanh" });
  await page.getByLabel("Số định danh cá nhân của người nộp").fill(DEMO.citizen);
  await page.getByLabel("Họ và tên người nộp").fill("Nguyễn Văn An");
  await page.getByRole("button", { name: "Tiếp nhận và cấp mã hồ sơ" }).click();
  await expect(page.getByText("Được tiếp nhận").first()).toBeVisible();
  const code = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").replace("Hồ sơ ", "").trim();
  await page.getByRole("button", { name: "Chuyển xử lý" }).click();
  await expect(page.getByText("Đang xử lý").first()).toBeVisible();
  await page.getByRole("button", { name: "Yêu cầu nộp phí" }).click();
  await expect(page.getByText("Yêu cầu thực hiện nghĩa vụ tài chính").first()).toBeVisible();
  await signOut(page);
  return code;
}

test.afterAll(async () => {
  await closeDb();
});

test("a finance clerk sees today's takings, imports the settlement file and resolves a planted mismatch", async ({
  page,
  axe,
}) => {
  state.code = await dossierAwaitingItsFee(page);
  await signIn(page, DEMO.citizen);
  await page.goto("/dossiers");
  await page.getByRole("link", { name: state.code }).click();
  await page.getByRole("button", { name: "Thanh toán trực tuyến" }).click();
  await page.getByLabel("Ngân hàng / loại thẻ").selectOption({ index: 0 });
  await page.getByRole("button", { name: "Thanh toán", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Đã thanh toán", { timeout: 15_000 });
  state.orderRef = new URL(page.url()).searchParams.get("vnp_TxnRef") ?? "";
  expect(state.orderRef).not.toBe("");
  await signOut(page);

  // The gateway's file will disagree twice: a capture nobody ordered, and this order booked for less.
  state.planted = `E2E${Date.now().toString(36).toUpperCase()}`;
  await plant({ kind: "unknown_txn", txnRef: state.planted, amountVnd: 43210, date: today() });
  await plant({ kind: "amount_differs", txnRef: state.orderRef, amountVnd: 90000 });

  await signIn(page, FINANCE);
  await page.getByRole("link", { name: "Tài chính, đối soát" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài chính và đối soát");
  const takings = page.getByRole("table", { name: `Tiền thu ngày ${today()} theo hình thức` });
  // Other specs may have taken money today on the same database: the online row exists, whatever its sum.
  await expect(takings.getByRole("row", { name: /Thanh toán trực tuyến/ })).toContainText("₫");
  await expect(takings.getByRole("row", { name: /Tổng cộng/ })).toBeVisible();
  await axe();

  await page.getByRole("link", { name: /Xem đối soát/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đối soát với cổng thanh toán");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Ngày đối soát").fill(today());
  await page.getByRole("button", { name: "Nhập file đối soát của ngày này" }).click();
  await expect(page.getByRole("status")).toHaveText(`Đã nhập file đối soát ngày ${today()}.`);
  const mismatches = page.getByRole("table", { name: "Chênh lệch giữa file đối soát và sổ sách của Cổng" });
  const strangerRow = mismatches.getByRole("row").filter({ hasText: state.planted });
  await expect(strangerRow).toContainText("Cổng thanh toán có, Cổng DVC không ghi nhận");
  await expect(strangerRow).toContainText("43.210");
  const orderRow = mismatches.getByRole("row").filter({ hasText: state.orderRef });
  await expect(orderRow).toContainText("Số tiền khác nhau");
  await expect(orderRow).toContainText(`Hồ sơ ${state.code}`);
  await expect(orderRow).toContainText("90.000");
  await axe();

  const csv = await page.request.get(`/finance/settlement.csv?date=${today()}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const body = await csv.text();
  expect(body.split("\r\n")[0]).toBe(
    "\uFEFFsettlement_date,kind,type,txn_ref,transaction_no,amount_gateway,amount_portal,difference,dossier_code,payment_status,agency_code,found_at,resolved_at,resolved_by,resolution_note",
  );
  expect(body).toContain(`${today()},missing_in_portal,payment,${state.planted},`);
  expect(body).toContain(`${today()},amount_differs,payment,${state.orderRef},`);
  expect(body).toContain(",90000,100000,-10000,");

  await strangerRow
    .getByLabel(`Kết quả kiểm tra (bắt buộc) — ${state.planted}`)
    .fill("Ngân hàng xác nhận: giao dịch thử");
  await strangerRow.getByRole("button", { name: `Đánh dấu đã xử lý — ${state.planted}` }).click();
  await expect(page.getByRole("status")).toHaveText("Đã đánh dấu chênh lệch là đã xử lý và ghi nhật ký.");
  await expect(page.getByRole("row").filter({ hasText: state.planted })).toContainText("Đã xử lý bởi Ngô Thị Thu");
  const audit = await rows<{ username: string; note: string }>(
    `select u.username, a.data->>'note' as note from audit_events a join users u on u.id = a.actor_id
      where a.action = 'settlement_mismatch_resolved' and a.data->>'txnRef' = $1`,
    [state.planted],
  );
  expect(audit).toEqual([{ username: FINANCE, note: "Ngân hàng xác nhận: giao dịch thử" }]);
  await axe();
});

test("a payment needing review is resolved from the finance view, and audited", async ({ page, axe }) => {
  const ref = `E2EREV${Date.now().toString(36).toUpperCase()}`;
  await rows(
    `insert into payments (dossier_id, order_ref, amount_vnd, method, status, provider, payer_name, review_reason, review_since)
     select id, $2, 100000, 'gateway', 'needs_review', 'vnpay-sim', applicant_name, 'no_final_answer', now()
       from dossiers where code = $1`,
    [state.code, ref],
  );
  await signIn(page, FINANCE);
  await page.goto("/finance");
  const row = page
    .getByRole("table", { name: "Khoản thanh toán cần xem xét" })
    .getByRole("row")
    .filter({ hasText: ref });
  await expect(row).toContainText("Cổng thanh toán chưa trả lời kết quả cuối cùng");
  await axe();
  // A decision without a note is refused, and says so.
  await row.getByLabel(`Quyết định — ${ref}`).selectOption({ label: "Hủy (không thu được tiền)" });
  await row.getByRole("button", { name: `Lưu quyết định — ${ref}` }).click();
  await expect(page.getByRole("alert")).toContainText("Nhập ghi chú, tối đa 1.000 ký tự.");
  await expect(page).toHaveTitle(/^Lỗi:/);
  await axe();
  const again = page
    .getByRole("table", { name: "Khoản thanh toán cần xem xét" })
    .getByRole("row")
    .filter({ hasText: ref });
  await again.getByLabel(`Quyết định — ${ref}`).selectOption({ label: "Hủy (không thu được tiền)" });
  await again.getByLabel(`Ghi chú (bắt buộc) — ${ref}`).fill("Ngân hàng xác nhận không trừ tiền");
  await again.getByRole("button", { name: `Lưu quyết định — ${ref}` }).click();
  await expect(page.getByRole("status")).toHaveText("Đã lưu quyết định và ghi nhật ký.");
  await expect(page.getByText(ref)).toHaveCount(0);

  // Bad input is refused with a 4xx, never a 500: a malformed or unknown id, an unknown decision, a bad date.
  const csrf = (await page.locator('input[name="csrf"]').first().getAttribute("value")) ?? "";
  const post = (path: string, form: Record<string, string>) => page.request.post(path, { form: { csrf, ...form } });
  const resolve = { intent: "resolve_payment", resolution: "cancel", note: "x" };
  expect((await post("/finance", { ...resolve, paymentId: "không-phải-id" })).status()).toBe(400);
  expect((await post("/finance", { ...resolve, paymentId: crypto.randomUUID() })).status()).toBe(404);
  expect((await post("/finance", { ...resolve, paymentId: crypto.randomUUID(), resolution: "steal" })).status()).toBe(
    400,
  );
  expect(
    (await post("/finance/settlement", { intent: "resolve", mismatchId: crypto.randomUUID(), note: "x" })).status(),
  ).toBe(404);
  expect((await post("/finance/settlement", { intent: "import", date: "2026-02-30" })).status()).toBe(400);
  expect((await page.request.get("/finance/settlement?date=31/12/2025")).status()).toBe(400);
  expect((await page.request.get("/finance/settlement.csv?date=2026-02-30")).status()).toBe(400);
  const [p] = await rows<{ status: string; review_resolution: string }>(
    "select status, review_resolution from payments where order_ref = $1",
    [ref],
  );
  expect(p).toEqual({ status: "cancelled", review_resolution: "cancel" });
  const audit = await rows<{ username: string }>(
    `select u.username from audit_events a join users u on u.id = a.actor_id
      where a.action = 'payment_review_resolved' and a.data->>'orderRef' = $1`,
    [ref],
  );
  expect(audit).toEqual([{ username: FINANCE }]);
});

test("a clerk without the finance duty, a manager and a citizen get 403; anonymous visitors sign in first", async ({
  page,
}) => {
  for (const who of [DEMO.clerk, DEMO.manager, DEMO.citizen]) {
    await signIn(page, who);
    await expect(page.getByRole("link", { name: "Tài chính, đối soát" })).toHaveCount(0);
    for (const path of ["/finance", "/finance/settlement", `/finance/settlement.csv?date=${today()}`]) {
      const res = await page.request.get(path, { maxRedirects: 0 });
      expect(res.status(), `${who} ${path}`).toBe(403);
      expect(await res.text()).not.toContain(state.planted);
    }
    await signOut(page);
  }
  const anonymous = await page.request.get("/finance/settlement", { maxRedirects: 0 });
  expect(anonymous.status()).toBe(302);
  expect(anonymous.headers().location).toContain("/auth/login");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the finance clerk imports a day and resolves the amount mismatch", async ({ page, axe }) => {
    await signIn(page, FINANCE);
    await page.goto("/finance");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài chính và đối soát");
    await axe();
    await page.goto("/finance/settlement");
    await page.getByLabel("Ngày đối soát").fill(tomorrow());
    await page.getByRole("button", { name: "Nhập file đối soát của ngày này" }).click();
    await expect(page.getByRole("alert")).toContainText("Ngày đối soát không được sau hôm nay.");
    await expect(page).toHaveTitle(/^Lỗi:/);
    await axe();

    await page.getByLabel("Ngày đối soát").fill(today());
    await page.getByRole("button", { name: "Nhập file đối soát của ngày này" }).click();
    await expect(page.getByRole("status")).toHaveText(`Đã nhập file đối soát ngày ${today()}.`);
    const orderRow = page.getByRole("row").filter({ hasText: state.orderRef });
    await orderRow
      .getByLabel(`Kết quả kiểm tra (bắt buộc) — ${state.orderRef}`)
      .fill("Cổng ghi thiếu 10.000 đ; đã báo ngân hàng");
    await orderRow.getByRole("button", { name: `Đánh dấu đã xử lý — ${state.orderRef}` }).click();
    await expect(page.getByRole("status")).toHaveText("Đã đánh dấu chênh lệch là đã xử lý và ghi nhật ký.");
    await expect(page.getByRole("row").filter({ hasText: state.orderRef })).toContainText("Đã xử lý bởi Ngô Thị Thu");
    // Re-importing the day keeps both resolutions.
    await page.getByLabel("Ngày đối soát").fill(today());
    await page.getByRole("button", { name: "Nhập file đối soát của ngày này" }).click();
    await expect(page.getByRole("status")).toHaveText(`Đã nhập file đối soát ngày ${today()}.`);
    for (const ref of [state.orderRef, state.planted])
      await expect(page.getByRole("row").filter({ hasText: ref })).toContainText("Đã xử lý bởi Ngô Thị Thu");
    await axe();
  });
});
