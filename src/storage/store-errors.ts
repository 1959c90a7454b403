/**
 * Whether an error means the database cannot be reached right now (server down, restarting,
 * connection dropped), as opposed to a bug: the client should retry later.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08006", // connection_failure
  "SQLITE_BUSY",
]);

export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
  return typeof message === "string" && /Connection terminated|timeout exceeded when trying to connect/i.test(message);
}
