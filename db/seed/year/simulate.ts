/**
 * One dossier's life, simulated through the REAL domain rules: every step is a `decide()` of the
 * workflow (so a move the transition table does not allow throws), every clock change is
 * `clockChanges()` on the working calendar (receipt time, due date, supplement pauses, the
 * more-than-one-supplement rule, outcome). What is random is only what people do and when: the
 * behaviour parameters in params.ts.
 *
 * Times: a clerk acts in office time (`office()` adds office minutes on the calendar), a citizen online
 * at any hour. The simulation stops at `now`: a step that would happen later is not taken, and the
 * dossier stays in the status it had (open dossiers of a period that has not ended). Each phase of the life
 * (reception online or at the counter, the handling with its interruptions, the fee, the return and rating)
 * is a method of `DossierRun` that says whether the dossier goes on.
 */
import type { DeadlineUnit, Outcome, WorkingCalendar } from "../../../app/domain/calendar/working-calendar.ts";
import type { ActorRole, Channel, DossierAction, DossierStatus } from "../../../app/domain/dossier/dossier.ts";
import { applyClockChanges, type ClockState, clockChanges } from "../../../app/domain/dossier/dossier-clock.ts";
import { type Actor, type DossierCommandInput, decide } from "../../../app/domain/dossier/dossier-workflow.ts";
import type { AgencyLevel, OnlineKind } from "../demo-data.ts";
import type { Params } from "./params.ts";
import type { Rng } from "./random.ts";

export type SimProcedure = {
  code: string;
  level: AgencyLevel;
  amount: number;
  unit: DeadlineUnit;
  feeVnd: number;
  onlineKind: OnlineKind;
};

export type PaymentMethod = "gateway" | "transfer" | "cash";

export type SimEvent = {
  action: DossierAction | "intake";
  fromStatus: DossierStatus | null;
  toStatus: DossierStatus;
  at: Date;
  actorRole: ActorRole;
  reason: string | null;
  data: Record<string, unknown> | null;
};

export type SimPayment = { method: PaymentMethod; amountVnd: number; createdAt: Date; paidAt: Date };

export type SimDossier = {
  procedure: SimProcedure;
  agencyCode: string;
  channel: Channel;
  status: DossierStatus;
  version: number;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
  originalDueAt: Date | null;
  pausedAt: Date | null;
  pausedMinutes: number;
  supplementsAfterReceipt: number;
  resolvedAt: Date | null;
  returnedAt: Date | null;
  endedAt: Date | null;
  outcome: Outcome | null;
  updatedAt: Date;
  digitised: boolean;
  eResult: boolean;
  paidOnline: boolean;
  rating: number | null;
  ratedAt: Date | null;
  payment: SimPayment | null;
  events: SimEvent[] | null;
};

export type SimContext = {
  calendar: WorkingCalendar;
  rng: Rng;
  params: Params;
  /** Nothing happens after this instant. */
  now: Date;
  /**
   * When the period is complete: the last instant a dossier filed in it may be received, so that every
   * dossier generated for the period is received in it (online filings after that belong to the next period).
   */
  receiveBy: Date | null;
  recordEvents: boolean;
};

const MIN = 60_000;
const HOUR = 3_600_000;
const APPLICANT = "applicant";

const MISSING = ["Bản sao giấy tờ chứng minh nơi cư trú"];
const STOP_REASON = "Hồ sơ không đủ điều kiện giải quyết theo quy định";
const REFUSE_REASON = "Hồ sơ nộp không đúng cơ quan có thẩm quyền";

/**
 * The time limit in working days, as the clerk plans with it: working days as stated, hours / 8, and for
 * calendar days the working days the calendar actually leaves until the due date (holidays included).
 */
function limitInWorkingDays(p: SimProcedure, calendar: WorkingCalendar, receivedAt: Date, dueAt: Date): number {
  switch (p.unit) {
    case "working_days":
      return p.amount;
    case "working_hours":
      return p.amount / 8;
    case "calendar_days":
      return Math.max(1, calendar.workingDaysBetween(receivedAt, dueAt));
  }
}

/**
 * What happens at reception to an online filing, drawn with the arrival (generate.ts) so that the number
 * of dossiers actually received can be the scale: refused and abandoned filings come on top of it.
 */
export type ReceptionFate = "receive" | "supplementThenReceive" | "refuse" | "abandon";

export function drawReceptionFate(rng: Rng, params: Params): ReceptionFate {
  const r = params.reception;
  if (rng.chance(r.refuse)) return "refuse";
  if (rng.chance(r.preSupplement))
    return rng.chance(r.preSupplementNeverAnswered) ? "abandon" : "supplementThenReceive";
  return "receive";
}

export function simulateDossier(
  ctx: SimContext,
  procedure: SimProcedure,
  agencyCode: string,
  channel: Channel,
  arrivedAt: Date,
  fate: ReceptionFate = "receive",
): SimDossier {
  const run = new DossierRun(ctx, procedure, agencyCode, channel, arrivedAt);
  const handlingStarts = channel === "online" ? run.receiveOnline(arrivedAt, fate) : run.intakeAtCounter(arrivedAt);
  if (!handlingStarts) return run.d;
  const resolvedAt = run.handle(handlingStarts);
  if (resolvedAt) run.returnAndRate(resolvedAt);
  return run.d;
}

/** One dossier being simulated: its state, the actors, and the phases of its life. */
class DossierRun {
  readonly d: SimDossier;
  private readonly P: Params;
  private readonly rng: Rng;
  private readonly calendar: WorkingCalendar;
  private readonly level: AgencyLevel;
  private readonly time: { amount: number; unit: DeadlineUnit };
  private readonly clerk: Actor;
  private readonly citizen: Actor = { role: "citizen", userId: APPLICANT };
  private readonly system: Actor = { role: "system", userId: "gateway" };

  constructor(
    private readonly ctx: SimContext,
    private readonly procedure: SimProcedure,
    private readonly agencyCode: string,
    private readonly channel: Channel,
    arrivedAt: Date,
  ) {
    this.P = ctx.params;
    this.rng = ctx.rng;
    this.calendar = ctx.calendar;
    this.level = procedure.level;
    this.time = { amount: procedure.amount, unit: procedure.unit };
    this.clerk = { role: "clerk", userId: "clerk", agencyCode };
    const online = channel === "online";
    this.d = {
      procedure,
      agencyCode,
      channel,
      status: online ? "draft" : "received",
      version: 1,
      submittedAt: arrivedAt,
      receivedAt: null,
      dueAt: null,
      originalDueAt: null,
      pausedAt: null,
      pausedMinutes: 0,
      supplementsAfterReceipt: 0,
      resolvedAt: null,
      returnedAt: null,
      endedAt: null,
      outcome: null,
      updatedAt: arrivedAt,
      digitised: online || this.rng.chance(this.P.reception.scannedAtIntake[this.level]),
      eResult: false,
      paidOnline: false,
      rating: null,
      ratedAt: null,
      payment: null,
      events: ctx.recordEvents ? [] : null,
    };
  }

  /** `minutes` of office time after `t` on the working calendar (a clerk's time). */
  private office(t: Date, minutes: number): Date {
    return this.calendar.addOfficeMinutes(t, Math.max(1, minutes));
  }

  /**
   * Takes one workflow step at `at`: the workflow decides, the clock follows. False when `at` is after `now`:
   * the step is not taken and the dossier's life stops here.
   */
  private act(action: DossierAction, at: Date, actor: Actor, input?: DossierCommandInput): boolean {
    const d = this.d;
    if (at > this.ctx.now) return false;
    const decision = decide(
      {
        status: d.status,
        agencyCode: this.agencyCode,
        applicantId: APPLICANT,
        receivedAt: d.receivedAt,
        version: d.version,
      },
      { action, input, expectedVersion: d.version },
      actor,
      at,
    );
    const state: ClockState = {
      receivedAt: d.receivedAt,
      dueAt: d.dueAt,
      pausedAt: d.pausedAt,
      pausedMinutes: d.pausedMinutes,
      supplementsAfterReceipt: d.supplementsAfterReceipt,
    };
    applyClockChanges(d, clockChanges(state, action, this.time, this.calendar, at));
    d.events?.push({
      action,
      fromStatus: d.status,
      toStatus: decision.nextStatus,
      at,
      actorRole: actor.role,
      reason: decision.event.reason ?? null,
      data: decision.event.data ?? null,
    });
    d.status = decision.nextStatus;
    d.version += 1;
    d.updatedAt = at;
    return true;
  }

  /**
   * An online filing: submitted, then refused, abandoned after a supplement request, or received (maybe after
   * one supplement) and sent to the handling unit. Returns when handling starts, or null when it never does.
   */
  receiveOnline(arrivedAt: Date, fate: ReceptionFate): Date | null {
    const { P, rng, ctx, clerk, citizen } = this;
    if (!this.act("submit", arrivedAt, citizen)) return null;
    let readyAt = arrivedAt;
    const receptionDelay = () =>
      rng.logNormal(P.reception.onlineReceptionOfficeMinutes.median, P.reception.onlineReceptionOfficeMinutes.sigma);
    if (fate === "refuse") {
      this.act("refuse", this.office(arrivedAt, receptionDelay()), clerk, { reason: REFUSE_REASON });
      return null;
    }
    // Near the end of a complete period there is no time left for a round trip before reception.
    const lateInPeriod = ctx.receiveBy !== null && ctx.receiveBy.getTime() - arrivedAt.getTime() < 20 * 24 * HOUR;
    if (fate === "abandon" || (fate === "supplementThenReceive" && !lateInPeriod)) {
      const askedAt = this.office(arrivedAt, receptionDelay());
      if (!this.act("request_supplement", askedAt, clerk, { missingDocuments: MISSING })) return null;
      if (fate === "abandon") {
        this.act("withdraw", new Date(askedAt.getTime() + 30 * 24 * HOUR), citizen);
        return null;
      }
      const { median, sigma } = P.reception.preSupplementAnswerHours;
      readyAt = new Date(askedAt.getTime() + rng.logNormal(median, sigma) * HOUR);
      if (ctx.receiveBy && readyAt >= ctx.receiveBy) {
        readyAt = new Date(askedAt.getTime() + (ctx.receiveBy.getTime() - askedAt.getTime()) / 2);
      }
      if (!this.act("answer_supplement", readyAt, citizen)) return null;
    }
    const { median, sigma } = P.reception.onlineReceptionOfficeMinutes;
    let receiveAt = this.office(readyAt, rng.logNormal(median, sigma));
    if (ctx.receiveBy && receiveAt > ctx.receiveBy) {
      receiveAt = new Date(readyAt.getTime() + (ctx.receiveBy.getTime() - readyAt.getTime()) * rng.next());
    }
    if (!this.act("receive", receiveAt, clerk)) return null;
    // Electronic dossiers go to the handling unit at once.
    const cursor = new Date(receiveAt.getTime() + (1 + rng.int(10)) * MIN);
    return this.act("start_processing", cursor, clerk) ? cursor : null;
  }

  /**
   * Counter and postal intake: the clerk creates the dossier directly in `received` (docs/domain.md#statuses),
   * with the clock the workflow's `receive` gives it; the paper goes to the handling unit later.
   */
  intakeAtCounter(arrivedAt: Date): Date | null {
    const { d, P, rng } = this;
    const c = clockChanges(
      { receivedAt: null, dueAt: null, pausedAt: null, pausedMinutes: 0, supplementsAfterReceipt: 0 },
      "receive",
      this.time,
      this.calendar,
      arrivedAt,
    );
    applyClockChanges(d, c);
    d.receivedAt ??= arrivedAt;
    d.events?.push({
      action: "intake",
      fromStatus: null,
      toStatus: "received",
      at: arrivedAt,
      actorRole: "clerk",
      reason: null,
      data: { channel: this.channel },
    });
    // Paper goes to the handling unit later that day or the next working day, sooner for short limits.
    const limit = limitInWorkingDays(this.procedure, this.calendar, arrivedAt, d.dueAt ?? arrivedAt) * 480;
    const { share, sigma } = P.reception.paperTransfer;
    const cursor = this.office(arrivedAt, Math.min(480, limit * rng.logNormal(share, sigma)));
    return this.act("start_processing", cursor, this.clerk) ? cursor : null;
  }

  /**
   * The clerk's planned work from `cursor`, and what interrupts it (the fee, supplements, a withdrawal or a
   * stop) as offsets into that work in office minutes. Returns when the dossier is resolved, or null.
   */
  handle(start: Date): Date | null {
    const { d, P, rng, procedure, level, clerk, citizen } = this;
    let cursor = start;
    const share = rng.logNormal(P.handling.share.median[level], P.handling.share.sigma);
    const limit = limitInWorkingDays(procedure, this.calendar, d.receivedAt ?? start, d.dueAt ?? start);
    let work = Math.max(P.handling.minimumOfficeMinutes, share * limit * 480);
    type Interrupt = { at: number; kind: "payment" | "supplement" | "withdraw" | "stop" };
    const interrupts: Interrupt[] = [];
    if (procedure.feeVnd > 0) {
      // The fee is asked for at the start of the work (short procedures: at once).
      const { median, sigma } = P.payment.requestOfficeMinutes;
      interrupts.push({ at: Math.min(work * 0.1, rng.logNormal(median, sigma)), kind: "payment" });
    }
    if (rng.chance(P.supplement.probability[level])) {
      interrupts.push({
        at: work * rng.uniform(P.supplement.atShare.min, P.supplement.atShare.max),
        kind: "supplement",
      });
    }
    if (rng.chance(P.ending.withdraw)) interrupts.push({ at: work * rng.next(), kind: "withdraw" });
    else if (rng.chance(P.ending.stop)) interrupts.push({ at: work * rng.uniform(0.2, 1), kind: "stop" });
    interrupts.sort((a, b) => a.at - b.at);

    let done = 0;
    for (const it of interrupts) {
      cursor = this.office(cursor, it.at - done);
      done = Math.max(done, it.at);
      if (it.kind === "withdraw") {
        this.act("withdraw", cursor, citizen);
        return null;
      }
      if (it.kind === "stop") {
        this.act("stop", cursor, clerk, { reason: STOP_REASON });
        return null;
      }
      if (it.kind === "payment") {
        const resumed = this.pay(cursor);
        if (!resumed) return null;
        cursor = resumed;
        continue;
      }
      const answered = this.supplements(cursor, work, done);
      if (!answered) return null;
      ({ cursor, work } = answered);
    }
    const resolvedAt = this.office(cursor, Math.max(1, work - done));
    return this.act("resolve", resolvedAt, clerk) ? resolvedAt : null;
  }

  /**
   * Supplement(s) after reception: the clock stops until the citizen answers; a second round is possible.
   * Returns where the work goes on and how much work there is now, or null when the life stops.
   */
  private supplements(from: Date, workBefore: number, done: number): { cursor: Date; work: number } | null {
    const { P, rng, clerk, citizen } = this;
    let cursor = from;
    let work = workBefore;
    for (let round = 0; ; round++) {
      if (!this.act("request_supplement", cursor, clerk, { missingDocuments: MISSING })) return null;
      if (rng.chance(P.supplement.neverAnswered)) {
        // The workflow has no clerk action out of `supplement_requested`: the citizen withdraws.
        this.act("withdraw", this.office(cursor, P.supplement.withdrawAfterWorkingDays * 480), citizen);
        return null;
      }
      const { median, sigma } = P.supplement.answerHours;
      let answeredAt = new Date(cursor.getTime() + rng.logNormal(median, sigma) * HOUR);
      if (this.channel !== "online") answeredAt = this.office(answeredAt, 1 + rng.int(60)); // papers are brought to the counter
      if (!this.act("answer_supplement", answeredAt, citizen)) return null;
      work += P.supplement.reworkShare * work * rng.next();
      cursor = this.office(answeredAt, 1 + rng.int(30));
      if (round > 0 || !rng.chance(P.supplement.second)) return { cursor, work };
      cursor = this.office(cursor, Math.max(1, (work - done) * rng.uniform(0.1, 0.5)));
    }
  }

  /** Fee: the clerk requests it, the citizen pays, the dossier goes back to processing. Returns when work resumes. */
  private pay(requestAt: Date): Date | null {
    const { d, P, rng, procedure, channel } = this;
    const amountVnd = procedure.feeVnd;
    if (!this.act("request_payment", requestAt, this.clerk, { amountVnd })) return null;
    const m = P.payment.method[channel];
    const method = (["gateway", "transfer", "cash"] as const)[rng.weighted([m.gateway, m.transfer, m.cash])]!;
    const wait = P.payment.payHours[channel];
    const hours = rng.chance(wait.prompt)
      ? rng.logNormal(wait.promptMedian, 0.8)
      : rng.logNormal(wait.median, wait.sigma);
    let paidAt = new Date(requestAt.getTime() + hours * HOUR);
    if (method === "cash") paidAt = this.office(paidAt, 1 + rng.int(30)); // cash only at the counter
    if (paidAt > this.ctx.now) return null;
    d.payment = { method, amountVnd, createdAt: requestAt, paidAt };
    d.paidOnline = method === "gateway";
    // The gateway's IPN confirms at once; a transfer or cash is confirmed when a clerk records it (at once at the
    // counter). Either way the confirmation is the payment code's (system), never a bare clerk action.
    const confirmAt =
      method === "gateway" ? paidAt : this.office(paidAt, channel === "counter" ? 1 + rng.int(5) : 1 + rng.int(60));
    if (!this.act("confirm_payment", confirmAt, this.system)) return null;
    return method === "gateway" ? this.office(confirmAt, 1 + rng.int(30)) : confirmAt;
  }

  /** Return of the result (electronic or on paper), and maybe a rating. */
  returnAndRate(resolvedAt: Date): void {
    const { d, P, rng, procedure, channel } = this;
    d.eResult = rng.chance(P.result.electronic[channel][procedure.onlineKind]);
    const returnAt = d.eResult
      ? new Date(
          resolvedAt.getTime() +
            rng.logNormal(P.result.electronicMinutes.median, P.result.electronicMinutes.sigma) * MIN,
        )
      : this.office(
          resolvedAt,
          rng.logNormal(P.result.paperCollectOfficeMinutes.median, P.result.paperCollectOfficeMinutes.sigma),
        );
    if (!this.act("return_result", returnAt, this.clerk)) {
      // Resolved but not yet returned at `now`: no electronic result has gone out either.
      d.eResult = false;
      return;
    }
    if (rng.chance(P.rating.probability[channel])) {
      const ratedAt = new Date(
        returnAt.getTime() + rng.logNormal(P.rating.afterHours.median, P.rating.afterHours.sigma) * HOUR,
      );
      const weights = d.outcome === "late" ? P.rating.late : P.rating.inTime;
      const rating = 1 + rng.weighted(weights);
      if (ratedAt <= this.ctx.now) {
        d.rating = rating;
        d.ratedAt = ratedAt;
      }
    }
  }
}
