/** Metric counts come from dossier rows made by the real workflow (demo seed), on both databases. */
import { describe, expect, it } from "vitest";
import { seedDemoDossiers } from "../../../db/seed/demo-dossiers.ts";
import { seedDemoData } from "../../../db/seed/seed.ts";
import { payOneOnlineOneCash } from "../../../tests/fixtures.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { computeMetrics } from "../../domain/stats/metrics.ts";
import { countMetrics } from "./stats-queries.server.ts";

const NOW = new Date("2025-03-19T03:00:00Z"); // Wed 19 March 2025, 10:00 in Vietnam

describe.each(testTargets())("metric counts on $label PostgreSQL", (target: TestTarget) => {
  it("counts the seeded desk by the docs/domain.md definitions, for the province and for one commune", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await seedDemoData(db);
      await seedDemoDossiers(db, NOW);
      const march = { from: "2025-03-01", to: "2025-03-31" };
      const c = await countMetrics(db, march, { agencyCodes: null }, NOW);
      expect(c).toMatchObject({
        received: 5, // the sixth was received on 26 February (15 working days earlier)
        receivedOnline: 0,
        resolvedEarly: 0,
        resolvedOnTime: 1,
        resolvedLate: 1,
        overdueOpen: 1,
        openNotYetDue: 3,
        returned: 2,
        returnedElectronic: 2,
      });
      const m = computeMetrics(c);
      expect(m.onTimeRate).toBe(0.5);
      expect(m.onlineRate).toBe(0);
      expect(m.proceduresTotal).toBe(73);

      // Two fees paid in March, one online and one in cash: cashless rate 1/2.
      const ids = await db.selectFrom("dossiers").select("id").limit(2).execute();
      const paidAt = new Date("2025-03-18T03:00:00Z");
      await payOneOnlineOneCash(
        db,
        ids.map((d) => d.id),
        paidAt,
      );
      const withPayments = await countMetrics(db, march, { agencyCodes: null }, NOW);
      expect(withPayments).toMatchObject({ feePayments: 2, cashlessPayments: 1 });
      expect(computeMetrics(withPayments).cashlessRate).toBe(0.5);

      const hongGai = await countMetrics(db, march, { agencyCodes: ["000.01.31.H99"] }, NOW);
      expect(hongGai.received).toBe(3);
      const february = await countMetrics(db, { from: "2025-02-01", to: "2025-02-28" }, { agencyCodes: null }, NOW);
      expect(february.received).toBe(1);
    } finally {
      await close();
    }
  });
});
