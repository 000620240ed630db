import { describe, expect, it } from "vitest";
import { crontab } from "./worker.server.ts";

describe("the job crontab", () => {
  it("reconciles every 2 minutes unless RECONCILE_CRON says otherwise", () => {
    expect(crontab(undefined)).toContain("*/2 * * * * reconcile_payments");
    expect(crontab("")).toContain("*/2 * * * * reconcile_payments");
    expect(crontab("* * * * *")).toContain("\n* * * * * reconcile_payments\n");
    expect(crontab(undefined).split("\n")[0]).toBe("0 1 * * * send_reminders");
  });

  it("refuses a schedule that is not five cron fields", () => {
    expect(() => crontab("every minute")).toThrow(/RECONCILE_CRON/);
    expect(() => crontab("* * * *")).toThrow(/five cron fields/);
  });
});
