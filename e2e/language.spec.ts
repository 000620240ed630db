import { expect, test } from "./fixtures.ts";

test("the language switch changes <html lang>, the texts, and is remembered", async ({ page, axe }) => {
  await page.goto("/auth/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/\/auth\/login$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await axe();

  // Validation messages are translated too.
  await page.getByRole("button", { name: "Sign in" }).last().click();
  await expect(page.getByRole("alert")).toContainText("Enter your identification number or user name");
  await expect(page).toHaveTitle(/^Error:/);
  await axe();

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quang Ninh online public services");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dịch vụ công trực tuyến tỉnh Quảng Ninh");
});
