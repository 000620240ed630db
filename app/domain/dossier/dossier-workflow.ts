/**
 * The dossier workflow: which action moves a dossier from which status to
 * which, who may take it, and what input it needs.
 *
 * `transitions` is the single source of truth for the allowed moves (docs/domain.md
 * §3); anything absent from it is refused. `decide` is pure: it reads the
 * dossier, the command and the actor and returns what should happen — the
 * next status, the event to append and the column changes — or throws a
 * named domain error. Locking, writing and notifying belong to the service
 * layer, which is what keeps this file testable without a database.
 */

import {
  type ActorRole,
  DOSSIER_ACTIONS,
  type DossierAction,
  type DossierStatus,
} from "#app/domain/dossier/dossier.ts";
import {
  ActorNotAllowedError,
  DossierDomainError,
  FeeAlreadySettledError,
  FeeNotSettledError,
  MissingInputError,
  NotOwnerError,
  StaleVersionError,
  TransitionNotAllowedError,
} from "#app/domain/dossier/dossier-errors.ts";

export const transitions = {
  draft: { submit: "submitted" },
  submitted: {
    receive: "received",
    refuse: "not_received",
    // Incomplete at reception: the clerk sends ONE complete list, no clock runs yet.
    request_supplement: "supplement_requested",
  },
  received: {
    start_processing: "processing",
    withdraw: "withdrawn",
    // A fee exemption decided at reception: the dossier stays where it is.
    waive_fee: "received",
  },
  processing: {
    request_supplement: "supplement_requested",
    request_payment: "payment_requested",
    stop: "stopped",
    resolve: "resolved",
    // Liên thông: the dossier stays in processing but changes agency, and the event audits the hand-over.
    transfer: "processing",
    withdraw: "withdrawn",
    waive_fee: "processing",
  },
  supplement_requested: {
    // Only after reception; before it, decide() sends the answer back to
    // `submitted` because no clerk has accepted the dossier yet.
    answer_supplement: "processing",
    withdraw: "withdrawn",
  },
  payment_requested: {
    confirm_payment: "processing",
    // Waiving the requested fee lets the work go on, as a payment would.
    waive_fee: "processing",
    withdraw: "withdrawn",
  },
  not_received: {},
  withdrawn: {},
  stopped: {},
  // Waivable here only for dossiers resolved before a settled fee was required to resolve.
  resolved: { return_result: "returned", waive_fee: "resolved" },
  returned: {},
} as const satisfies Record<DossierStatus, Partial<Record<DossierAction, DossierStatus>>>;

/**
 * Who may take each action. Deliberately strict: managers and admins
 * supervise but do not handle dossiers, so every handling step is traceable
 * to a clerk of the owning agency, and `system` is only the payment code (IPN, reconciliation, counter
 * payment recorded with its receipt).
 */
export const actionRoles = {
  submit: ["citizen"],
  receive: ["clerk"],
  refuse: ["clerk"],
  request_supplement: ["clerk"],
  answer_supplement: ["citizen"],
  start_processing: ["clerk"],
  transfer: ["clerk"],
  request_payment: ["clerk"],
  // Only the system confirms a payment: the gateway's IPN, reconciliation, or the recording of a counter
  // payment (which is the clerk's act, audited on the payment). Never a bare clerk action.
  confirm_payment: ["system"],
  waive_fee: ["clerk"],
  withdraw: ["citizen"],
  stop: ["clerk"],
  resolve: ["clerk"],
  return_result: ["clerk"],
} as const satisfies Record<DossierAction, readonly ActorRole[]>;

/** The part of a dossier the workflow needs; the service maps its row to this. */
export type WorkflowDossier = {
  status: DossierStatus;
  agencyCode: string;
  applicantId: string;
  receivedAt: Date | null;
  version: number;
  /**
   * The fee, when the action depends on it (the service always fills it in): resolve and return_result
   * need it settled, request_payment and waive_fee need it not settled yet.
   */
  fee?: { owed: boolean; settled: boolean; paid: boolean; waived: boolean };
};

export type DossierCommandInput = {
  reason?: string;
  missingDocuments?: readonly string[];
  toAgencyCode?: string;
  amountVnd?: number;
};

export type DossierCommand = {
  action: DossierAction;
  input?: DossierCommandInput;
  /** The version the user saw; when given, a mismatch means they acted on stale data. */
  expectedVersion?: number;
};

export type Actor = {
  role: ActorRole;
  userId: string;
  agencyCode?: string | null;
};

export type DossierEventData = {
  missingDocuments?: string[];
  amountVnd?: number;
  fromAgencyCode?: string;
  toAgencyCode?: string;
};

/** One row of `dossier_events`: it feeds the citizen timeline, form 05 and the statistics. */
export type DossierEvent = {
  action: DossierAction;
  fromStatus: DossierStatus;
  toStatus: DossierStatus;
  at: Date;
  actorRole: ActorRole;
  actorId: string;
  reason?: string;
  data?: DossierEventData;
};

/** Columns of the dossier itself that change besides `status`. */
export type DossierChanges = {
  agencyCode?: string;
  receivedAt?: Date;
};

export type DossierDecision = {
  nextStatus: DossierStatus;
  event: DossierEvent;
  changes: DossierChanges;
};

type TransitionTable = Record<DossierStatus, Partial<Record<DossierAction, DossierStatus>>>;

function lookupTransition(status: DossierStatus, action: DossierAction): DossierStatus | undefined {
  return (transitions as TransitionTable)[status][action];
}

function assertNever(value: never): never {
  throw new Error(`Unhandled value: ${String(value)}`);
}

/**
 * Throws when the actor may not take the action on this dossier, whatever its
 * input. Shared by `decide` and `allowedActions` so the buttons shown and the
 * commands accepted can never disagree.
 */
function authorize(dossier: WorkflowDossier, action: DossierAction, actor: Actor): void {
  const roles: readonly ActorRole[] = actionRoles[action];
  if (!roles.includes(actor.role)) {
    throw new ActorNotAllowedError(actor.role, action);
  }
  switch (actor.role) {
    case "citizen":
      if (actor.userId !== dossier.applicantId) throw new NotOwnerError();
      return;
    case "clerk":
      // A clerk's authority ends at their agency; after a transfer the dossier belongs to the new one.
      if (!actor.agencyCode || actor.agencyCode !== dossier.agencyCode) {
        throw new ActorNotAllowedError(actor.role, action);
      }
      return;
    case "system":
      return;
    case "manager":
    case "admin":
      // Unreachable while the role table excludes them, but if someone adds
      // them there they must also decide here what scope they act in.
      throw new ActorNotAllowedError(actor.role, action);
    default:
      assertNever(actor.role);
  }
}

function requireReason(input: DossierCommandInput | undefined): string {
  const reason = typeof input?.reason === "string" ? input.reason.trim() : "";
  if (reason === "") throw new MissingInputError("reason");
  return reason;
}

/** A whitespace-only reason on an action that does not need one is treated as none. */
function optionalReason(input: DossierCommandInput | undefined): string | undefined {
  const reason = typeof input?.reason === "string" ? input.reason.trim() : "";
  return reason === "" ? undefined : reason;
}

function requireMissingDocuments(input: DossierCommandInput | undefined): string[] {
  const list = input?.missingDocuments;
  if (!Array.isArray(list)) throw new MissingInputError("missingDocuments");
  // Blank rows come from empty form lines; they are noise, not documents.
  const documents = list
    .filter((item): item is string => typeof item === "string")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  if (documents.length === 0) throw new MissingInputError("missingDocuments", "nonEmptyList");
  return documents;
}

function requireAmountVnd(input: DossierCommandInput | undefined): number {
  const amount = input?.amountVnd;
  if (amount === undefined || amount === null) throw new MissingInputError("amountVnd");
  // VND has no minor unit, and a zero fee means there is nothing to request.
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new MissingInputError("amountVnd", "positiveInteger");
  }
  return amount;
}

function requireTargetAgency(dossier: WorkflowDossier, input: DossierCommandInput | undefined): string {
  const code = typeof input?.toAgencyCode === "string" ? input.toAgencyCode.trim() : "";
  if (code === "") throw new MissingInputError("toAgencyCode");
  if (code === dossier.agencyCode) throw new MissingInputError("toAgencyCode", "differentAgency");
  return code;
}

/**
 * Decides what a command does to a dossier. Checks, in order: the version the
 * user saw, the transition table, the actor, the input. Throws a
 * `DossierDomainError` subclass on refusal.
 */
export function decide(dossier: WorkflowDossier, command: DossierCommand, actor: Actor, now: Date): DossierDecision {
  const { action, input } = command;

  if (command.expectedVersion !== undefined && command.expectedVersion !== dossier.version) {
    throw new StaleVersionError(command.expectedVersion, dossier.version);
  }

  const tableTarget = lookupTransition(dossier.status, action);
  if (tableTarget === undefined) {
    throw new TransitionNotAllowedError(dossier.status, action);
  }

  authorize(dossier, action, actor);

  let nextStatus: DossierStatus = tableTarget;
  let reason = optionalReason(input);
  let data: DossierEventData | undefined;
  const changes: DossierChanges = {};

  switch (action) {
    case "receive":
      // The legal deadline counts from reception, so the moment is recorded on the dossier itself.
      changes.receivedAt = now;
      break;
    case "refuse":
    case "stop":
      // Both end the dossier against the citizen's wish, so the citizen must be told why (form 03 for a refusal).
      reason = requireReason(input);
      break;
    case "request_supplement":
      data = { missingDocuments: requireMissingDocuments(input) };
      break;
    case "answer_supplement":
      if (dossier.receivedAt === null) nextStatus = "submitted";
      break;
    case "request_payment":
      // A fee paid at filing (or waived) is not asked for again.
      if (dossier.fee?.paid || dossier.fee?.waived) throw new FeeAlreadySettledError();
      data = { amountVnd: requireAmountVnd(input) };
      break;
    case "waive_fee":
      if (dossier.fee && (!dossier.fee.owed || dossier.fee.settled)) throw new FeeAlreadySettledError();
      reason = requireReason(input);
      break;
    case "transfer": {
      const toAgencyCode = requireTargetAgency(dossier, input);
      changes.agencyCode = toAgencyCode;
      data = { fromAgencyCode: dossier.agencyCode, toAgencyCode };
      break;
    }
    case "resolve":
    case "return_result":
      // No result without the fee paid, waived or refunded (issue 16).
      if (dossier.fee && !dossier.fee.settled) throw new FeeNotSettledError(action);
      break;
    case "submit":
    case "start_processing":
    case "confirm_payment":
    case "withdraw":
      break;
    default:
      return assertNever(action);
  }

  const event: DossierEvent = {
    action,
    fromStatus: dossier.status,
    toStatus: nextStatus,
    at: now,
    actorRole: actor.role,
    actorId: actor.userId,
  };
  if (reason !== undefined) event.reason = reason;
  if (data !== undefined) event.data = data;

  return { nextStatus, event, changes };
}

/**
 * The actions this actor may take on this dossier now, in a stable order, for
 * rendering buttons. Input is not checked: the form collects it.
 */
export function allowedActions(dossier: WorkflowDossier, actor: Actor): DossierAction[] {
  return DOSSIER_ACTIONS.filter((action) => {
    if (lookupTransition(dossier.status, action) === undefined) return false;
    try {
      authorize(dossier, action, actor);
      return true;
    } catch (error) {
      if (error instanceof DossierDomainError) return false;
      throw error;
    }
  });
}
