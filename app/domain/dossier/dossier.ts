/**
 * Dossier (hồ sơ): one citizen's application for one administrative procedure,
 * followed from draft to the returned result.
 *
 * Statuses and actions are snake_case literals shared by the database and the
 * domain; their human labels live in locales (`dossier:status.<id>`). The
 * numeric codes are those of the national public-services portal, which we
 * must report to, so they are fixed by the outside world and not ours to renumber.
 */

export const DOSSIER_STATUSES = [
  "draft",
  "submitted",
  "received",
  "not_received",
  "processing",
  "supplement_requested",
  "payment_requested",
  "withdrawn",
  "stopped",
  "resolved",
  "returned",
] as const;

export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/**
 * National sync codes (1–10). A draft has never left the citizen's hands, so
 * the national portal never hears of it and it has no code.
 */
export const STATUS_SYNC_CODE: Record<DossierStatus, number | null> = {
  draft: null,
  submitted: 1,
  received: 2,
  not_received: 3,
  processing: 4,
  supplement_requested: 5,
  payment_requested: 6,
  withdrawn: 7,
  stopped: 8,
  resolved: 9,
  returned: 10,
};

/**
 * No action leads out of these. `resolved` is not among them: the result
 * still has to be handed back to the citizen.
 */
export const TERMINAL_STATUSES = [
  "not_received",
  "withdrawn",
  "stopped",
  "returned",
] as const satisfies readonly DossierStatus[];

export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export function isTerminalStatus(status: DossierStatus): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly DossierStatus[]).includes(status);
}

/** How the dossier reached the agency (KenhThucHien in the national schema). */
export const CHANNELS = ["counter", "online", "postal"] as const;

export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_SYNC_CODE: Record<Channel, number> = {
  counter: 1,
  online: 2,
  postal: 3,
};

export const DOSSIER_ACTIONS = [
  "submit",
  "receive",
  "refuse",
  "request_supplement",
  "answer_supplement",
  "start_processing",
  "transfer",
  "request_payment",
  "confirm_payment",
  "waive_fee",
  "withdraw",
  "stop",
  "resolve",
  "return_result",
] as const;

export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

/**
 * `system` stands for trusted machine callers such as the payment gateway's
 * IPN; it is never a logged-in person.
 */
export const ACTOR_ROLES = ["citizen", "clerk", "manager", "admin", "system"] as const;

export type ActorRole = (typeof ACTOR_ROLES)[number];
