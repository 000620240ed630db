import type { Page } from "@playwright/test";
import { DEMO, expect, resolveWithDecision, signIn, signOut, test } from "./fixtures.ts";

/** A signed-in clerk registers a paper household-business dossier (100.000 ₫) for the demo citizen. */
async function clerkRegistersHouseholdBusiness(page: Page): Promise<string> {
  await page.getByRole("link", { name: "Tiếp nhận hồ sơ giấy" }).click();
  // Let the page finish loading before filling the form in.
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Thủ tục").selectOption({ label: "Đăng ký thành lập hộ kinh doanh" });
  await page.getByLabel("Số định danh cá nhân của người nộp").fill(DEMO.citizen);
  await page.getByLabel("Họ và tên người nộp").fill("Nguyễn Văn An");
  await page.getByRole("button", { name: "Tiếp nhận và cấp mã hồ sơ" }).click();
  await expect(page.getByText("Được tiếp nhận").first()).toBeVisible();
  return ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").replace("Hồ sơ ", "").trim();
}

/** A clerk registers a household-business dossier for the demo citizen and asks for its fee. */
async function givenADossierAwaitingItsFee(page: Page): Promise<string> {
  await signIn(page, DEMO.clerk);
  const code = await clerkRegistersHouseholdBusiness(page);
  await page.getByRole("button", { name: "Chuyển xử lý" }).click();
  await expect(page.getByText("Đang xử lý").first()).toBeVisible();
  await expect(page.getByLabel("Số tiền (đồng)")).toHaveValue("100000");
  await page.getByRole("button", { name: "Yêu cầu nộp phí" }).click();
  await expect(page.getByText("Yêu cầu thực hiện nghĩa vụ tài chính").first()).toBeVisible();
  await signOut(page);
  return code;
}

async function whenCitizenPays(page: Page, code: string, choice: "Thanh toán" | "Hủy giao dịch") {
  await page.goto("/dossiers");
  await page.getByRole("link", { name: code }).click();
  await page.getByRole("button", { name: "Thanh toán trực tuyến" }).click();
  await expect(page.getByRole("heading", { name: "Thanh toán trực tuyến" })).toBeVisible();
  await expect(page.getByText("100.000")).toBeVisible();
  await page.getByLabel("Ngân hàng / loại thẻ").selectOption({ index: 0 });
  await page.getByRole("button", { name: choice }).click();
  await expect(page.getByRole("heading", { name: "Kết quả thanh toán" })).toBeVisible();
}

test("pay online: approve, and a receipt is issued; the dossier moves on", async ({ page, axe }) => {
  const code = await givenADossierAwaitingItsFee(page);
  await signIn(page, DEMO.citizen);
  await whenCitizenPays(page, code, "Thanh toán");
  await expect(page.getByRole("status")).toContainText("Đã thanh toán", { timeout: 15_000 });
  await axe();
  const returnUrl = page.url();
  expect(returnUrl).toContain("/payments/return?");

  // The gateway's return works without the session cookie too (another address, an expired session):
  // the outcome is shown, the dossier and the receipt stay behind the applicant's sign-in.
  const cookieless = await page.context().browser()?.newContext({ locale: "vi-VN" });
  const other = await cookieless?.newPage();
  await other?.goto(returnUrl);
  await expect(other!.getByRole("status")).toContainText("Đã thanh toán 100.000");
  await expect(other!.getByRole("status")).not.toContainText(code);
  await expect(other!.getByRole("link", { name: "Đăng nhập để xem hồ sơ và biên lai" })).toBeVisible();
  await expect(other!.getByRole("link", { name: "Xem và in biên lai điện tử" })).toHaveCount(0);
  // A return URL whose signature does not match is not shown at all.
  const tampered = await other?.goto(returnUrl.replace(/vnp_ResponseCode=00/, "vnp_ResponseCode=24"));
  expect(tampered?.status()).toBe(404);
  await cookieless?.close();

  await page.getByRole("link", { name: "Xem và in biên lai điện tử" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Biên lai điện tử BL-");
  await expect(page.getByText("Thanh toán trực tuyến").first()).toBeVisible();
  await axe();
  await page.getByRole("link", { name: "Về trang hồ sơ" }).click();
  await expect(page.getByText("Đang xử lý").first()).toBeVisible();

  // thenWithdrawingRefundsTheOnlinePayment (the refund job runs in the background)
  await page.getByText("Rút hồ sơ", { exact: true }).click();
  await page.getByRole("button", { name: "Xác nhận rút hồ sơ" }).click();
  await expect(page.getByText("Công dân yêu cầu rút hồ sơ").first()).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("Đã hoàn trả")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText(/Biên lai HT-/)).toBeVisible();
  await axe();
});

test("a declined payment, then a retry that succeeds", async ({ page, axe }) => {
  const code = await givenADossierAwaitingItsFee(page);
  await signIn(page, DEMO.citizen);
  await whenCitizenPays(page, code, "Hủy giao dịch");
  await expect(page.getByRole("status")).toContainText("không thành công", { timeout: 15_000 });
  await axe();
  await whenCitizenPays(page, code, "Thanh toán");
  await expect(page.getByRole("status")).toContainText("Đã thanh toán", { timeout: 15_000 });
  await page.getByRole("link", { name: "Về trang hồ sơ" }).click();
  await expect(page.getByText("Không thành công")).toBeVisible();
  await expect(page.getByText(/Biên lai BL-/)).toHaveCount(1);
});

test("a clerk records a cash payment at the counter", async ({ page, axe }) => {
  const code = await givenADossierAwaitingItsFee(page);
  await signIn(page, DEMO.clerk);
  await page.getByRole("link", { name: code }).click();
  await page.getByLabel("Hình thức").selectOption("cash");
  await page.getByRole("button", { name: "Ghi nhận đã thu và cấp biên lai" }).click();
  await expect(page.getByText(/Tiền mặt tại quầy — .* — Đã thanh toán — Biên lai BL-/)).toBeVisible();
  await expect(page.getByText("Đang xử lý").first()).toBeVisible();
  await axe();
});

test("no result without the fee: resolve is refused with a message, confirm_payment cannot be posted, a waiver lets it through", async ({
  page,
  axe,
}) => {
  // A household-business dossier (100.000 ₫) received and processed, nothing asked for the fee.
  await signIn(page, DEMO.clerk);
  await page.getByRole("link", { name: "Tiếp nhận hồ sơ giấy" }).click();
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Thủ tục").selectOption({ label: "Đăng ký thành lập hộ kinh doanh" });
  await page.getByLabel("Số định danh cá nhân của người nộp").fill(DEMO.citizen);
  await page.getByLabel("Họ và tên người nộp").fill("Nguyễn Văn An");
  await page.getByRole("button", { name: "Tiếp nhận và cấp mã hồ sơ" }).click();
  await expect(page.getByText("Được tiếp nhận").first()).toBeVisible();
  await page.getByRole("button", { name: "Chuyển xử lý" }).click();
  await expect(page.getByText("Đang xử lý").first()).toBeVisible();
  await expect(page.getByTestId("fee-status")).toHaveText("chưa nộp, chưa yêu cầu");

  await resolveWithDecision(page);
  await expect(page.getByRole("alert")).toContainText("phí, lệ phí của hồ sơ chưa được nộp, miễn hoặc hoàn trả");
  await axe();

  // The confirm_payment action is not the clerk's: posting it by hand changes nothing.
  const csrf = (await page.locator('input[name="csrf"]').first().getAttribute("value")) ?? "";
  const version = (await page.locator('input[name="version"]').first().getAttribute("value")) ?? "";
  const posted = await page.request.post(page.url(), {
    form: { csrf, intent: "confirm_payment", version },
    maxRedirects: 0,
  });
  expect(posted.status()).toBe(400);
  await page.reload();
  await expect(page.getByText("Đang xử lý").first()).toBeVisible();
  await expect(page.getByText("Đã nộp phí, lệ phí")).toHaveCount(0);

  // A waiver needs a reason; with one, it is on the timeline and the result can be given.
  await page.getByRole("button", { name: "Miễn phí, lệ phí" }).click();
  await expect(page.getByRole("alert")).toContainText("Nhập lý do miễn phí, lệ phí");
  await page.getByLabel("Lý do miễn phí, lệ phí").fill("Hộ nghèo theo danh sách UBND phường: miễn lệ phí");
  await page.getByRole("button", { name: "Miễn phí, lệ phí" }).click();
  await expect(page.getByTestId("fee-status")).toHaveText("được miễn");
  await expect(page.locator(".timeline")).toContainText("Miễn phí, lệ phí");
  await expect(page.locator(".timeline")).toContainText("Hộ nghèo theo danh sách UBND phường: miễn lệ phí");
  await axe();
  await resolveWithDecision(page);
  await expect(page.getByText("Đã xử lý xong").first()).toBeVisible();
  await page.getByRole("button", { name: "Trả kết quả" }).click();
  await expect(page.getByText("Đã trả kết quả").first()).toBeVisible();
});

test("a fixed fee can be paid before the clerk asks for it (pay at filing)", async ({ page, axe }) => {
  // The clerk registers the paper dossier and does nothing more: no fee has been requested yet.
  await signIn(page, DEMO.clerk);
  const code = await clerkRegistersHouseholdBusiness(page);
  await signOut(page);

  await signIn(page, DEMO.citizen);
  await page.goto("/dossiers");
  await page.getByRole("link", { name: code }).click();
  await expect(page.getByRole("region", { name: "Nộp phí, lệ phí" })).toContainText(
    "Bạn có thể thanh toán trực tuyến ngay bây giờ",
  );
  await axe();
  await page.getByRole("button", { name: "Thanh toán trực tuyến" }).click();
  await page.getByLabel("Ngân hàng / loại thẻ").selectOption({ index: 0 });
  await page.getByRole("button", { name: "Thanh toán" }).click();
  await expect(page.getByRole("status")).toContainText("Đã thanh toán 100.000", { timeout: 15_000 });
  await page.getByRole("link", { name: "Về trang hồ sơ" }).click();
  // Paid: nothing more to pay, and the receipt is listed.
  await expect(page.getByRole("button", { name: "Thanh toán trực tuyến" })).toHaveCount(0);
  await expect(page.getByText(/BL-\d{4}-/).first()).toBeVisible();
});
