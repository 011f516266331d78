// Which looked-up values can match no row: the sessions', charges', refunds' and dashboard's reads ask
// before a value reaches the driver.

/** PostgreSQL text cannot hold NUL: a value containing one matches no row, and must not reach the driver (it errors). */
export const unmatchable = (value: string | undefined) => value !== undefined && value.includes('\u0000');
