/** Password length limits, shown in hints and enforced by the registration schema. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
