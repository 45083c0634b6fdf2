/**
 * How long the choreographed place-order saga may take, from its start to the
 * last step's done. A saga still running then is aborted: every service
 * of it undoes its part, and a step whose turn had not come never runs.
 * This file is yours: archkit writes it once and never replaces it.
 */
export const placeOrderTimeoutMs = 60_000;
