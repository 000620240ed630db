import { DEMO, expect, freshNationalId, signIn, test } from "./fixtures.ts";

test.describe("registration and sign-in", () => {
  test("a citizen registers, signs out and signs in again", async ({ page, axe }) => {
    const nationalId = freshNationalId();
    await page.goto("/");
    await axe();
    await page.getByRole("banner").getByRole("link", { name: "Đăng ký", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng ký tài khoản công dân");
    await axe();

    // whenCitizenSubmitsBadInput
    await page.getByLabel("Số định danh cá nhân").fill("12345");
    await page.getByLabel("Họ và tên").fill("Nguyễn Thị Kiểm Thử");
    await page.getByLabel("Mật khẩu", { exact: true }).fill("ngan");
    await page.getByLabel("Nhập lại mật khẩu").fill("khac");
    await page.getByRole("button", { name: "Tạo tài khoản" }).click();
    // thenTheErrorSummaryListsEachProblem
    const summary = page.getByRole("alert");
    await expect(summary).toContainText("Có lỗi cần sửa");
    await expect(summary).toContainText("Số định danh cá nhân phải gồm đúng 12 chữ số");
    await expect(summary).toContainText("Mật khẩu phải có ít nhất 10 ký tự");
    await expect(page).toHaveTitle(/^Lỗi:/);
    await expect(page.getByLabel("Họ và tên")).toHaveValue("Nguyễn Thị Kiểm Thử");
    await axe();

    await page.getByLabel("Số định danh cá nhân").fill(nationalId);
    await page.getByLabel("Mật khẩu", { exact: true }).fill("MatKhauMoi2026");
    await page.getByLabel("Nhập lại mật khẩu").fill("MatKhauMoi2026");
    await page.getByRole("button", { name: "Tạo tài khoản" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
    await expect(page.getByText(nationalId)).toBeVisible();
    await expect(page.getByRole("status")).toContainText("đã được tạo");
    await axe();

    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page.getByRole("banner").getByRole("link", { name: "Đăng nhập", exact: true })).toBeVisible();
    // A revoked session cannot open the account page any more.
    await page.goto("/account");
    await expect(page).toHaveURL(/\/auth\/login\?redirectTo=%2Faccount/);

    await signIn(page, nationalId, "MatKhauMoi2026");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
  });

  test("duplicate registration and wrong credentials get clear messages", async ({ page, axe }) => {
    await page.goto("/auth/register");
    await page.getByLabel("Số định danh cá nhân").fill(DEMO.citizen);
    await page.getByLabel("Họ và tên").fill("Người Trùng");
    await page.getByLabel("Mật khẩu", { exact: true }).fill("MatKhauMoi2026");
    await page.getByLabel("Nhập lại mật khẩu").fill("MatKhauMoi2026");
    await page.getByRole("button", { name: "Tạo tài khoản" }).click();
    await expect(page.getByRole("alert")).toContainText("Số định danh này đã có tài khoản");
    await axe();

    await page.goto("/auth/login");
    await page.getByLabel(/Số định danh cá nhân \(CCCD\)/).fill(DEMO.citizen);
    await page.getByLabel("Mật khẩu").fill("SaiMatKhau123");
    await page.getByRole("button", { name: "Đăng nhập" }).last().click();
    await expect(page.getByRole("alert")).toContainText("không đúng");
    await expect(page.getByLabel(/Số định danh cá nhân \(CCCD\)/)).toHaveValue(DEMO.citizen);
    await expect(page.getByLabel("Mật khẩu")).toHaveValue("");
    await axe();
  });

  test("unknown pages get a translated 404, never a stack trace", async ({ page, axe }) => {
    const response = await page.goto("/khong-ton-tai/abc");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
    await axe();
    // A NUL byte anywhere in the address is refused with a 400, never a database error.
    for (const bad of [
      "/procedures/%00",
      "/procedures?agency=%00",
      "/api/v1/metrics?from=2025-01-01&to=2025-01-02&agency=%00",
    ]) {
      expect((await page.request.get(bad)).status(), bad).toBe(400);
    }
  });
});
