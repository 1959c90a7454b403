/** `text` cut to `max` characters, with "..." to show it was: a refused 16 KiB value need not come back whole. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
