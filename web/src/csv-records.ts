/**
 * How many records a CSV text holds, header excluded, as RFC 4180 reads it: a line break inside a
 * quoted field belongs to that field, and blank lines are not records.
 */
export function countCsvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  let filled = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (!quoted && (char === "\n" || char === "\r")) {
      if (filled) records++;
      filled = false;
    } else if (char !== "\r") {
      filled = filled || char.trim() !== "";
    }
  }
  if (filled) records++;
  return Math.max(0, records - 1);
}
