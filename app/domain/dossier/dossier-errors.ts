/**
 * Why the workflow refused a command.
 *
 * Each error carries an i18n key (`code`) and interpolation `params` instead
 * of user-facing text, so the route can translate it into the citizen's or
 * clerk's language and pick the HTTP status from the class alone. The
 * `message` is English and meant for logs only.
 */

import type { ActorRole, DossierAction, DossierStatus } from "#app/domain/dossier/dossier.ts";

export type DossierErrorParams = Readonly<Record<string, string | number>>;

export abstract class DossierDomainError extends Error {
  abstract readonly code: string;
  readonly params: DossierErrorParams;

  constructor(message: string, params: DossierErrorParams) {
    super(message);
    this.params = params;
  }
}

/** The action does not exist from this status: a 409, the dossier has moved on. */
export class TransitionNotAllowedError extends DossierDomainError {
  override readonly name = "TransitionNotAllowedError";
  readonly code = "dossier:errors.transitionNotAllowed";

  readonly from: DossierStatus;
  readonly action: DossierAction;

  constructor(from: DossierStatus, action: DossierAction) {
    super(`Action "${action}" is not allowed from status "${from}"`, { from, action });
    this.from = from;
    this.action = action;
  }
}

/**
 * The role may not take this action, or a clerk acts on another agency's
 * dossier: a 403.
 */
export class ActorNotAllowedError extends DossierDomainError {
  override readonly name = "ActorNotAllowedError";
  readonly code = "dossier:errors.actorNotAllowed";

  readonly role: ActorRole;
  readonly action: DossierAction;

  constructor(role: ActorRole, action: DossierAction) {
    super(`Role "${role}" may not "${action}" this dossier`, { role, action });
    this.role = role;
    this.action = action;
  }
}

export type DossierInputField = "reason" | "missingDocuments" | "toAgencyCode" | "amountVnd";

/**
 * What the input failed. Kept in one class with the field so the route can
 * attach it to the right form control; each rule has its own key because
 * "is required" and "must differ from the current agency" read differently.
 */
export type DossierInputRule = "required" | "nonEmptyList" | "positiveInteger" | "differentAgency";

const INPUT_RULE_CODE = {
  required: "dossier:errors.missingInput",
  nonEmptyList: "dossier:errors.emptyList",
  positiveInteger: "dossier:errors.notPositiveInteger",
  differentAgency: "dossier:errors.sameAgency",
} as const satisfies Record<DossierInputRule, string>;

/** Required command input is absent or unusable: a 400 tied to a form field. */
export class MissingInputError extends DossierDomainError {
  override readonly name = "MissingInputError";
  readonly code: (typeof INPUT_RULE_CODE)[DossierInputRule];
  readonly field: DossierInputField;
  readonly rule: DossierInputRule;

  constructor(field: DossierInputField, rule: DossierInputRule = "required") {
    super(`Input "${field}" failed rule "${rule}"`, { field, rule });
    this.code = INPUT_RULE_CODE[rule];
    this.field = field;
    this.rule = rule;
  }
}

/** A citizen acting on someone else's dossier: a 403 (or 404, to hide that it exists). */
export class NotOwnerError extends DossierDomainError {
  override readonly name = "NotOwnerError";
  readonly code = "dossier:errors.notOwner";

  constructor() {
    super("Only the applicant may act on this dossier", {});
  }
}

/**
 * Someone else changed the dossier after this user loaded it (optimistic
 * locking): a 409, so they reload rather than act on what they no longer see.
 */
export class StaleVersionError extends DossierDomainError {
  override readonly name = "StaleVersionError";
  readonly code = "dossier:errors.staleVersion";

  readonly expected: number;
  readonly actual: number;

  constructor(expected: number, actual: number) {
    super(`Dossier version is ${actual}, expected ${expected}`, { expected, actual });
    this.expected = expected;
    this.actual = actual;
  }
}

/** A result cannot be given (resolve, return_result) while a fee is owed and not paid, waived or refunded: a 409. */
export class FeeNotSettledError extends DossierDomainError {
  override readonly name = "FeeNotSettledError";
  readonly code = "dossier:errors.feeNotSettled";

  constructor(action: DossierAction) {
    super(`Action "${action}" needs the fee paid, waived or refunded first`, { action });
  }
}

/** The fee is already paid or waived (or there is none): it cannot be requested or waived again. */
export class FeeAlreadySettledError extends DossierDomainError {
  override readonly name = "FeeAlreadySettledError";
  readonly code = "dossier:errors.feeAlreadySettled";

  constructor() {
    super("The fee is already paid or waived, or there is none", {});
  }
}

/** Every key the errors can carry, so a locale test can check they are translated. */
export const DOSSIER_ERROR_CODES = [
  "dossier:errors.transitionNotAllowed",
  "dossier:errors.actorNotAllowed",
  ...Object.values(INPUT_RULE_CODE),
  "dossier:errors.notOwner",
  "dossier:errors.staleVersion",
  "dossier:errors.feeNotSettled",
  "dossier:errors.feeAlreadySettled",
] as const;
