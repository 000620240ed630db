import { DEMO, expect, signIn, test } from "./fixtures.ts";

test.describe("one page per role, checked on the server", () => {
  test("clerk sees the one-stop desk of their own agency", async ({ page, axe }) => {
    await signIn(page, DEMO.clerk);
    await expect(page).toHaveURL(/\/clerk$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bàn làm việc một cửa");
    await expect(page.getByText(/Đơn vị: .*Hạ Long/)).toBeVisible();
    await expect(page.getByRole("table")).toBeVisible();
    await axe();
    const forbidden = await page.goto("/admin");
    expect(forbidden?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bạn không có quyền xem trang này");
    await axe();
  });

  test("manager sees the units in their scope", async ({ page, axe }) => {
    await signIn(page, DEMO.manager);
    await expect(page).toHaveURL(/\/manager$/);
    await expect(page.getByRole("table", { name: "Các đơn vị, xếp theo điểm Bộ chỉ số 766" })).toBeVisible();
    await expect(page.getByRole("cell", { name: /Hạ Long/ }).first()).toBeVisible();
    await axe();
  });

  test("admin sees accounts by role", async ({ page, axe }) => {
    await signIn(page, DEMO.admin);
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole("cell", { name: DEMO.clerk })).toBeVisible();
    await axe();
  });

  test("citizen sees their account but not staff pages", async ({ page, axe }) => {
    await signIn(page, DEMO.citizen);
    await expect(page).toHaveURL(/\/account$/);
    await axe();
    for (const path of ["/clerk", "/manager", "/admin"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
  });

  test("the accessibility statement is public", async ({ page, axe }) => {
    await page.goto("/accessibility");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tuyên bố về khả năng tiếp cận");
    await axe();
  });
});
