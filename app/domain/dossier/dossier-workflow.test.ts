/**
 * The workflow spec as examples: one case per allowed move, a refusal for every
 * move that is not allowed, then the actor and input rules. The expected rows
 * are written out here rather than read from `transitions`, so a change to the
 * table has to be made twice, on purpose.
 */

import { describe, expect, it } from "vitest";
import {
  ACTOR_ROLES,
  type ActorRole,
  DOSSIER_ACTIONS,
  DOSSIER_STATUSES,
  type DossierAction,
  type DossierStatus,
  STATUS_SYNC_CODE,
  TERMINAL_STATUSES,
} from "#app/domain/dossier/dossier.ts";
import {
  ActorNotAllowedError,
  DOSSIER_ERROR_CODES,
  type DossierDomainError,
  FeeAlreadySettledError,
  FeeNotSettledError,
  MissingInputError,
  NotOwnerError,
  StaleVersionError,
  TransitionNotAllowedError,
} from "#app/domain/dossier/dossier-errors.ts";
import {
  type Actor,
  allowedActions,
  type DossierCommandInput,
  decide,
  transitions,
  type WorkflowDossier,
} from "#app/domain/dossier/dossier-workflow.ts";

const NOW = new Date("2025-03-10T03:00:00.000Z");
const RECEIVED_AT = new Date("2025-03-05T02:00:00.000Z");
const AGENCY = "000.00.17.H36";
const OTHER_AGENCY = "000.00.18.H36";
const APPLICANT_ID = "user-citizen-1";

const owner: Actor = { role: "citizen", userId: APPLICANT_ID };
const otherCitizen: Actor = { role: "citizen", userId: "user-citizen-2" };
const clerk: Actor = { role: "clerk", userId: "user-clerk-1", agencyCode: AGENCY };
const otherAgencyClerk: Actor = { role: "clerk", userId: "user-clerk-2", agencyCode: OTHER_AGENCY };
const manager: Actor = { role: "manager", userId: "user-manager-1", agencyCode: AGENCY };
const admin: Actor = { role: "admin", userId: "user-admin-1", agencyCode: AGENCY };
const system: Actor = { role: "system", userId: "paygov-ipn" };

/** An actor of each role who passes every check except the role check itself. */
const ACTOR_BY_ROLE: Record<ActorRole, Actor> = { citizen: owner, clerk, manager, admin, system };

/** Written out independently of `actionRoles`: this is the spec. */
const EXPECTED_ROLES: Record<DossierAction, ActorRole[]> = {
  submit: ["citizen"],
  receive: ["clerk"],
  refuse: ["clerk"],
  request_supplement: ["clerk"],
  answer_supplement: ["citizen"],
  start_processing: ["clerk"],
  transfer: ["clerk"],
  request_payment: ["clerk"],
  confirm_payment: ["system"],
  waive_fee: ["clerk"],
  withdraw: ["citizen"],
  stop: ["clerk"],
  resolve: ["clerk"],
  return_result: ["clerk"],
};

const VALID_INPUT: Partial<Record<DossierAction, DossierCommandInput>> = {
  refuse: { reason: "Không thuộc thẩm quyền giải quyết" },
  stop: { reason: "Người nộp không bổ sung đúng hạn" },
  request_supplement: { missingDocuments: ["Bản sao giấy khai sinh"] },
  request_payment: { amountVnd: 50_000 },
  transfer: { toAgencyCode: OTHER_AGENCY },
  waive_fee: { reason: "Người có công với cách mạng: miễn lệ phí" },
};

/** docs/domain.md#statuses, one row per allowed move. */
const ALLOWED: [DossierStatus, DossierAction, DossierStatus][] = [
  ["draft", "submit", "submitted"],
  ["submitted", "receive", "received"],
  ["submitted", "refuse", "not_received"],
  ["submitted", "request_supplement", "supplement_requested"],
  ["received", "start_processing", "processing"],
  ["received", "withdraw", "withdrawn"],
  ["received", "waive_fee", "received"],
  ["processing", "request_supplement", "supplement_requested"],
  ["processing", "request_payment", "payment_requested"],
  ["processing", "stop", "stopped"],
  ["processing", "resolve", "resolved"],
  ["processing", "transfer", "processing"],
  ["processing", "withdraw", "withdrawn"],
  ["processing", "waive_fee", "processing"],
  ["supplement_requested", "answer_supplement", "processing"],
  ["supplement_requested", "withdraw", "withdrawn"],
  ["payment_requested", "confirm_payment", "processing"],
  ["payment_requested", "waive_fee", "processing"],
  ["payment_requested", "withdraw", "withdrawn"],
  ["resolved", "return_result", "returned"],
  ["resolved", "waive_fee", "resolved"],
];

const NOT_ALLOWED: [DossierStatus, DossierAction][] = DOSSIER_STATUSES.flatMap((status) =>
  DOSSIER_ACTIONS.filter((action) => !ALLOWED.some(([from, allowed]) => from === status && allowed === action)).map(
    (action): [DossierStatus, DossierAction] => [status, action],
  ),
);

const NOT_YET_RECEIVED: readonly DossierStatus[] = ["draft", "submitted", "not_received"];

function givenDossier(status: DossierStatus, overrides: Partial<WorkflowDossier> = {}): WorkflowDossier {
  return {
    status,
    agencyCode: AGENCY,
    applicantId: APPLICANT_ID,
    receivedAt: NOT_YET_RECEIVED.includes(status) ? null : RECEIVED_AT,
    version: 3,
    ...overrides,
  };
}

function actorFor(action: DossierAction): Actor {
  const [role] = EXPECTED_ROLES[action];
  if (role === undefined) throw new Error(`No role for ${action}`);
  return ACTOR_BY_ROLE[role];
}

function whenActing(
  dossier: WorkflowDossier,
  action: DossierAction,
  actor: Actor = actorFor(action),
  input: DossierCommandInput | undefined = VALID_INPUT[action],
) {
  return () => decide(dossier, { action, input }, actor, NOW);
}

function thenRefusedWith<E extends DossierDomainError>(
  run: () => unknown,
  errorClass: abstract new (...args: never[]) => E,
): E {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(errorClass);
  return caught as E;
}

describe("dossier constants", () => {
  it("gives every status but draft a distinct national sync code from 1 to 10", () => {
    const codes = DOSSIER_STATUSES.map((status) => STATUS_SYNC_CODE[status]);
    expect(STATUS_SYNC_CODE.draft).toBeNull();
    expect(codes.filter((code) => code !== null).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it("has no move out of a terminal status", () => {
    for (const status of TERMINAL_STATUSES) {
      expect(transitions[status]).toEqual({});
    }
  });
});

describe("the transition table", () => {
  it("holds exactly the moves docs/domain.md#statuses allows", () => {
    const rows = Object.entries(transitions).flatMap(([from, moves]) =>
      Object.entries(moves).map(([action, to]) => `${from} -${action}-> ${to}`),
    );
    expect(rows.sort()).toEqual(ALLOWED.map(([from, action, to]) => `${from} -${action}-> ${to}`).sort());
  });
});

describe("every allowed move", () => {
  it.each(ALLOWED)("given a %s dossier, when %s is taken, then it becomes %s", (from, action, to) => {
    const dossier = givenDossier(from);

    const decision = whenActing(dossier, action)();

    expect(decision.nextStatus).toBe(to);
    expect(decision.event).toMatchObject({
      action,
      fromStatus: from,
      toStatus: to,
      at: NOW,
      actorRole: actorFor(action).role,
      actorId: actorFor(action).userId,
    });
  });
});

describe("every move not in the table", () => {
  it.each(NOT_ALLOWED)("given a %s dossier, when %s is taken, then it is refused", (from, action) => {
    const dossier = givenDossier(from);

    const error = thenRefusedWith(whenActing(dossier, action), TransitionNotAllowedError);

    expect(error.code).toBe("dossier:errors.transitionNotAllowed");
    expect(error.params).toEqual({ from, action });
  });

  it("refuses on the table before looking at the actor", () => {
    thenRefusedWith(whenActing(givenDossier("returned"), "resolve", otherCitizen), TransitionNotAllowedError);
  });
});

describe("roles", () => {
  const cases = ALLOWED.flatMap(([from, action]) =>
    ACTOR_ROLES.map((role): [DossierStatus, DossierAction, ActorRole, boolean] => [
      from,
      action,
      role,
      EXPECTED_ROLES[action].includes(role),
    ]),
  );

  it.each(cases)(
    "given a %s dossier, when a %s is attempted by a %s, then allowed is %s",
    (from, action, role, allowed) => {
      const run = whenActing(givenDossier(from), action, ACTOR_BY_ROLE[role]);

      if (allowed) {
        expect(run).not.toThrow();
      } else {
        const error = thenRefusedWith(run, ActorNotAllowedError);
        expect(error.code).toBe("dossier:errors.actorNotAllowed");
        expect(error.params).toEqual({ role, action });
      }
    },
  );

  it("refuses a clerk confirming a payment: only a recorded payment (system) confirms it", () => {
    thenRefusedWith(whenActing(givenDossier("payment_requested"), "confirm_payment", clerk), ActorNotAllowedError);
  });
});

describe("a clerk of another agency", () => {
  const clerkMoves = ALLOWED.filter(([, action]) => EXPECTED_ROLES[action].includes("clerk"));

  it.each(clerkMoves)("given a %s dossier, when %s is attempted, then it is refused", (from, action) => {
    thenRefusedWith(whenActing(givenDossier(from), action, otherAgencyClerk), ActorNotAllowedError);
  });

  it("refuses a clerk with no agency at all", () => {
    const noAgency: Actor = { role: "clerk", userId: "user-clerk-3", agencyCode: null };

    thenRefusedWith(whenActing(givenDossier("submitted"), "receive", noAgency), ActorNotAllowedError);
  });

  it("after a transfer, hands the dossier to the new agency's clerks", () => {
    const transferred = givenDossier("processing", { agencyCode: OTHER_AGENCY });

    expect(whenActing(transferred, "resolve", otherAgencyClerk)().nextStatus).toBe("resolved");
    thenRefusedWith(whenActing(transferred, "resolve", clerk), ActorNotAllowedError);
  });
});

describe("a citizen who is not the applicant", () => {
  const citizenMoves = ALLOWED.filter(([, action]) => EXPECTED_ROLES[action].includes("citizen"));

  it.each(citizenMoves)("given a %s dossier, when %s is attempted, then it is refused", (from, action) => {
    const error = thenRefusedWith(whenActing(givenDossier(from), action, otherCitizen), NotOwnerError);

    expect(error.code).toBe("dossier:errors.notOwner");
  });
});

describe("required input", () => {
  const cases: [string, DossierStatus, DossierAction, DossierCommandInput, string, string][] = [
    ["refuse without a reason", "submitted", "refuse", {}, "reason", "required"],
    ["refuse with an empty reason", "submitted", "refuse", { reason: "" }, "reason", "required"],
    ["refuse with a whitespace reason", "submitted", "refuse", { reason: " \t\n " }, "reason", "required"],
    ["stop with an empty reason", "processing", "stop", { reason: "" }, "reason", "required"],
    ["stop with a whitespace reason", "processing", "stop", { reason: "   " }, "reason", "required"],
    ["request_supplement without a list", "submitted", "request_supplement", {}, "missingDocuments", "required"],
    [
      "request_supplement with an empty list",
      "submitted",
      "request_supplement",
      { missingDocuments: [] },
      "missingDocuments",
      "nonEmptyList",
    ],
    [
      "request_supplement with only blank lines",
      "processing",
      "request_supplement",
      { missingDocuments: ["", "  "] },
      "missingDocuments",
      "nonEmptyList",
    ],
    ["request_payment without an amount", "processing", "request_payment", {}, "amountVnd", "required"],
    ["request_payment of zero", "processing", "request_payment", { amountVnd: 0 }, "amountVnd", "positiveInteger"],
    [
      "request_payment of a negative amount",
      "processing",
      "request_payment",
      { amountVnd: -50_000 },
      "amountVnd",
      "positiveInteger",
    ],
    [
      "request_payment of a fractional amount",
      "processing",
      "request_payment",
      { amountVnd: 1500.5 },
      "amountVnd",
      "positiveInteger",
    ],
    [
      "request_payment of NaN",
      "processing",
      "request_payment",
      { amountVnd: Number.NaN },
      "amountVnd",
      "positiveInteger",
    ],
    [
      "request_payment of Infinity",
      "processing",
      "request_payment",
      { amountVnd: Number.POSITIVE_INFINITY },
      "amountVnd",
      "positiveInteger",
    ],
    ["transfer without a target", "processing", "transfer", {}, "toAgencyCode", "required"],
    ["transfer to a blank agency", "processing", "transfer", { toAgencyCode: "  " }, "toAgencyCode", "required"],
    [
      "transfer to the same agency",
      "processing",
      "transfer",
      { toAgencyCode: AGENCY },
      "toAgencyCode",
      "differentAgency",
    ],
    [
      "transfer to the same agency with padding",
      "processing",
      "transfer",
      { toAgencyCode: ` ${AGENCY} ` },
      "toAgencyCode",
      "differentAgency",
    ],
  ];

  it.each(cases)("when %s, then it is refused", (_name, from, action, input, field, rule) => {
    const error = thenRefusedWith(whenActing(givenDossier(from), action, actorFor(action), input), MissingInputError);

    expect(error.field).toBe(field);
    expect(error.rule).toBe(rule);
    expect(error.params).toEqual({ field, rule });
    expect(DOSSIER_ERROR_CODES).toContain(error.code);
  });

  it("when a command that needs input comes with none at all, then it is refused", () => {
    const error = thenRefusedWith(
      () => decide(givenDossier("processing"), { action: "stop" }, clerk, NOW),
      MissingInputError,
    );

    expect(error.field).toBe("reason");
  });

  it("uses a distinct message key per rule", () => {
    expect(new MissingInputError("reason").code).toBe("dossier:errors.missingInput");
    expect(new MissingInputError("missingDocuments", "nonEmptyList").code).toBe("dossier:errors.emptyList");
    expect(new MissingInputError("amountVnd", "positiveInteger").code).toBe("dossier:errors.notPositiveInteger");
    expect(new MissingInputError("toAgencyCode", "differentAgency").code).toBe("dossier:errors.sameAgency");
  });
});

describe("what a decision records", () => {
  it("given a submitted dossier, when received, then the reception time is set to now", () => {
    const decision = whenActing(givenDossier("submitted"), "receive")();

    expect(decision.changes).toEqual({ receivedAt: NOW });
  });

  it("given a submitted dossier, when refused, then the trimmed reason is in the event", () => {
    const decision = whenActing(givenDossier("submitted"), "refuse", clerk, { reason: "  Sai thẩm quyền  " })();

    expect(decision.event.reason).toBe("Sai thẩm quyền");
    expect(decision.changes).toEqual({});
  });

  it("given a dossier being processed, when transferred, then the agency changes and the hand-over is in the event", () => {
    const decision = whenActing(givenDossier("processing"), "transfer", clerk, { toAgencyCode: ` ${OTHER_AGENCY}` })();

    expect(decision.nextStatus).toBe("processing");
    expect(decision.changes).toEqual({ agencyCode: OTHER_AGENCY });
    expect(decision.event.data).toEqual({ fromAgencyCode: AGENCY, toAgencyCode: OTHER_AGENCY });
  });

  it("given a submitted dossier, when a supplement is requested, then the cleaned list is in the event", () => {
    const decision = whenActing(givenDossier("submitted"), "request_supplement", clerk, {
      missingDocuments: [" Bản sao CCCD ", "", "Ảnh 4x6"],
    })();

    expect(decision.event.data).toEqual({ missingDocuments: ["Bản sao CCCD", "Ảnh 4x6"] });
  });

  it("given a dossier being processed, when payment is requested, then the amount is in the event", () => {
    const decision = whenActing(givenDossier("processing"), "request_payment", clerk, { amountVnd: 100_000 })();

    expect(decision.event.data).toEqual({ amountVnd: 100_000 });
  });

  it("given a received dossier, when the citizen withdraws with a reason, then the reason is kept", () => {
    const decision = whenActing(givenDossier("received"), "withdraw", owner, { reason: "Không còn nhu cầu" })();

    expect(decision.event.reason).toBe("Không còn nhu cầu");
  });

  it("given a move that needs no reason, when the reason is blank, then the event has none", () => {
    const decision = whenActing(givenDossier("processing"), "resolve", clerk, { reason: "  " })();

    expect(decision.event).not.toHaveProperty("reason");
    expect(decision.event).not.toHaveProperty("data");
  });
});

describe("answering a supplement request", () => {
  it("given the request came at reception (never received), when answered, then the dossier is submitted again", () => {
    const dossier = givenDossier("supplement_requested", { receivedAt: null });

    const decision = whenActing(dossier, "answer_supplement", owner)();

    expect(decision.nextStatus).toBe("submitted");
    expect(decision.event.toStatus).toBe("submitted");
  });

  it("given the request came during processing (received), when answered, then processing resumes", () => {
    const dossier = givenDossier("supplement_requested", { receivedAt: RECEIVED_AT });

    const decision = whenActing(dossier, "answer_supplement", owner)();

    expect(decision.nextStatus).toBe("processing");
    expect(decision.event.toStatus).toBe("processing");
    expect(decision.changes).toEqual({});
  });
});

describe("stale versions", () => {
  it("given the dossier changed since the user loaded it, when they act, then it is refused", () => {
    const dossier = givenDossier("submitted", { version: 4 });

    const error = thenRefusedWith(
      () => decide(dossier, { action: "receive", expectedVersion: 3 }, clerk, NOW),
      StaleVersionError,
    );

    expect(error.code).toBe("dossier:errors.staleVersion");
    expect(error.params).toEqual({ expected: 3, actual: 4 });
  });

  it("given the version the user saw is current, when they act, then it goes through", () => {
    const decision = decide(givenDossier("submitted"), { action: "receive", expectedVersion: 3 }, clerk, NOW);

    expect(decision.nextStatus).toBe("received");
  });
});

describe("the fee (issue 16)", () => {
  const unpaid = { owed: true, settled: false, paid: false, waived: false };
  const paid = { owed: true, settled: true, paid: true, waived: false };
  const waived = { owed: true, settled: true, paid: false, waived: true };
  const none = { owed: false, settled: true, paid: false, waived: false };

  it.each([
    ["processing", "resolve"],
    ["resolved", "return_result"],
  ] as const)("refuses %s → %s while a fee is owed and not settled", (status, action) => {
    const error = thenRefusedWith(whenActing(givenDossier(status, { fee: unpaid }), action), FeeNotSettledError);
    expect(error.code).toBe("dossier:errors.feeNotSettled");
  });

  it.each([paid, waived, none])("gives a result once the fee is settled (%o)", (fee) => {
    expect(whenActing(givenDossier("processing", { fee }), "resolve")().nextStatus).toBe("resolved");
    expect(whenActing(givenDossier("resolved", { fee }), "return_result")().nextStatus).toBe("returned");
  });

  it("does not ask again for a fee paid at filing or waived", () => {
    thenRefusedWith(whenActing(givenDossier("processing", { fee: paid }), "request_payment"), FeeAlreadySettledError);
    thenRefusedWith(whenActing(givenDossier("processing", { fee: waived }), "request_payment"), FeeAlreadySettledError);
    expect(whenActing(givenDossier("processing", { fee: unpaid }), "request_payment")().nextStatus).toBe(
      "payment_requested",
    );
  });

  it("waives only an owed, unsettled fee, and only with a reason", () => {
    thenRefusedWith(whenActing(givenDossier("processing", { fee: paid }), "waive_fee"), FeeAlreadySettledError);
    thenRefusedWith(whenActing(givenDossier("processing", { fee: none }), "waive_fee"), FeeAlreadySettledError);
    thenRefusedWith(
      whenActing(givenDossier("payment_requested", { fee: unpaid }), "waive_fee", clerk, { reason: " " }),
      MissingInputError,
    );
    const decision = whenActing(givenDossier("payment_requested", { fee: unpaid }), "waive_fee")();
    expect(decision.nextStatus).toBe("processing");
    expect(decision.event.reason).toBe(VALID_INPUT.waive_fee?.reason);
  });
});

describe("allowedActions", () => {
  it("offers a clerk of the agency every handling step of a dossier being processed", () => {
    expect(allowedActions(givenDossier("processing"), clerk)).toEqual([
      "request_supplement",
      "transfer",
      "request_payment",
      "waive_fee",
      "stop",
      "resolve",
    ]);
  });

  it("offers the applicant only withdrawal of a dossier being processed", () => {
    expect(allowedActions(givenDossier("processing"), owner)).toEqual(["withdraw"]);
  });

  it("offers the applicant an answer or withdrawal when documents are missing", () => {
    expect(allowedActions(givenDossier("supplement_requested"), owner)).toEqual(["answer_supplement", "withdraw"]);
  });

  it("offers confirmation of payment to the payment code only, and the agency's clerk a waiver", () => {
    expect(allowedActions(givenDossier("payment_requested"), system)).toEqual(["confirm_payment"]);
    expect(allowedActions(givenDossier("payment_requested"), clerk)).toEqual(["waive_fee"]);
  });

  it.each([otherCitizen, otherAgencyClerk, manager, admin])(
    "offers nothing on a processing dossier to $role $userId",
    (actor) => {
      expect(allowedActions(givenDossier("processing"), actor)).toEqual([]);
    },
  );

  it.each(TERMINAL_STATUSES)("offers nothing to anyone on a %s dossier", (status) => {
    for (const actor of [owner, clerk, manager, admin, system]) {
      expect(allowedActions(givenDossier(status), actor)).toEqual([]);
    }
  });

  it("never offers an action that decide would refuse for the actor", () => {
    for (const status of DOSSIER_STATUSES) {
      for (const actor of [owner, otherCitizen, clerk, otherAgencyClerk, manager, admin, system]) {
        for (const action of allowedActions(givenDossier(status), actor)) {
          expect(whenActing(givenDossier(status), action, actor)).not.toThrow();
        }
      }
    }
  });
});
