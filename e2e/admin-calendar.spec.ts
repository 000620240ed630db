import { DEMO, expect, signIn, test } from "./fixtures.ts";

test("an admin adds a day off for a year not yet covered, and deadlines follow it", async ({ page, axe, request }) => {
  const before = await (
    await request.get("/api/v1/calendar/due?received=2027-01-01T10:00:00%2B07:00&amount=1&unit=working_days")
  ).json();
  expect(before.due).toBe("2027-01-04T17:00:00+07:00");

  await signIn(page, DEMO.admin);
  await page.getByRole("link", { name: "Sửa lịch ngày nghỉ và ngày làm bù" }).click();
  await page.goto("/admin/calendar?year=2027");
  await axe();
  await page.getByLabel("Ngày", { exact: true }).fill("2027-01-02");
  await page.getByLabel("Tên ngày").fill("Thử nghiệm");
  await page.getByRole("button", { name: "Thêm vào lịch" }).click();
  await expect(page.getByRole("alert")).toContainText("Ngày nghỉ phải là một ngày trong tuần");
  await axe();

  await page.getByLabel("Ngày", { exact: true }).fill("2027-01-04");
  await page.getByLabel("Tên ngày").fill("Nghỉ bù Tết Dương lịch (thử nghiệm)");
  await page.getByRole("button", { name: "Thêm vào lịch" }).click();
  await expect(page.getByRole("cell", { name: "Nghỉ bù Tết Dương lịch (thử nghiệm)" })).toBeVisible();

  const after = await (
    await request.get("/api/v1/calendar/due?received=2027-01-01T10:00:00%2B07:00&amount=1&unit=working_days")
  ).json();
  expect(after.due).toBe("2027-01-05T17:00:00+07:00");

  await page.getByRole("button", { name: "Xóa ngày 2027-01-04" }).click();
  await expect(page.getByRole("cell", { name: "Nghỉ bù Tết Dương lịch (thử nghiệm)" })).toHaveCount(0);
});
