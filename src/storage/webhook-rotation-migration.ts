/**
 * A webhook's secret rotated with an overlap (docs/webhooks.md): the secret it replaced is kept,
 * sealed, until `previous_secret_until`, and requests carry a signature under each meanwhile, so a
 * receiver can move to the new secret without refusing anything or receiving anything twice.
 */
export function webhookRotationMigration(bytes: "BLOB" | "BYTEA"): string {
  return `
  ALTER TABLE delivery_targets ADD COLUMN sealed_previous_secret ${bytes};
  ALTER TABLE delivery_targets ADD COLUMN previous_secret_until BIGINT;
`;
}
