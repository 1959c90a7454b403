/** The selected rules as a file the browser saves: CSV (the insert fields as columns) or NDJSON. */

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function toCsv(records: Record<string, unknown>[]): string {
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const lines = [columns.join(","), ...records.map((r) => columns.map((c) => csvCell(r[c])).join(","))];
  return `${lines.join("\n")}\n`;
}

export const toNdjson = (records: Record<string, unknown>[]) => records.map((r) => `${JSON.stringify(r)}\n`).join("");

export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
