import { expect, freshNationalId, test } from "./fixtures.ts";

test.use({ javaScriptEnabled: false });

test("with JavaScript off a citizen can register, switch language and sign out", async ({ page, axe }) => {
  const nationalId = freshNationalId();
  await page.goto("/auth/register");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByRole("alert")).toContainText("Nhập số định danh cá nhân");
  await axe();

  await page.getByLabel("Số định danh cá nhân").fill(nationalId);
  await page.getByLabel("Họ và tên").fill("Không Dùng JavaScript");
  await page.getByLabel("Mật khẩu", { exact: true }).fill("KhongJS20260");
  await page.getByLabel("Nhập lại mật khẩu").fill("KhongJS20260");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My account");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await axe();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
});
