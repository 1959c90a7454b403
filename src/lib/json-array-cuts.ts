/**
 * Finds, in the text of a JSON object, the array under one top-level key and where each of its
 * elements starts and ends, so a large body can be parsed a slice of elements at a time
 * (src/http/plugins/json-in-turns.ts). A scan, not a parse: it trusts nothing it finds, and any
 * text it cannot follow (or that names the key twice) gives undefined, and the caller parses the
 * whole text the ordinary way, which then reports the error as it always did.
 */
export interface ArrayCuts {
  /** Index of the array's `[` and of its `]`. */
  open: number;
  close: number;
  /** [start, end) of each element's text. */
  elements: [number, number][];
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;

/** Scans `text`, yielding every `every` characters so a caller can let the event loop run. */
export function* arrayCuts(text: string, key: string, every = 1 << 20): Generator<void, ArrayCuts | undefined> {
  let depth = 0;
  let lastString = "";
  let keyBefore = "";
  let found: ArrayCuts | undefined;
  let elementStart = -1;
  let afterComma = false;
  let nextYield = every;
  for (let i = 0; i < text.length; i++) {
    if (i >= nextYield) {
      nextYield += every;
      yield;
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
      if (i >= text.length) return undefined;
      if (depth === 1) lastString = text.slice(start + 1, i);
      if (depth === 2 && found && elementStart < 0) elementStart = start;
      continue;
    }
    if (c === COLON && depth === 1) keyBefore = lastString;
    else if (c === 123 || c === 91) {
      // { or [
      if (depth === 1 && c === 91 && keyBefore === key) {
        if (found) return undefined;
        found = { open: i, close: -1, elements: [] };
        elementStart = -1;
      } else if (depth === 2 && found && found.close < 0 && elementStart < 0) elementStart = i;
      depth++;
    } else if (c === 125 || c === 93) {
      // } or ]
      depth--;
      if (depth < 0) return undefined;
      if (depth === 1 && c === 93 && found && found.close < 0 && keyBefore === key) {
        if (afterComma && elementStart < 0) return undefined;
        if (elementStart >= 0) found.elements.push([elementStart, i]);
        found.close = i;
        keyBefore = "";
      }
    } else if (c === COMMA && depth === 2 && found && found.close < 0) {
      if (elementStart < 0) return undefined;
      found.elements.push([elementStart, i]);
      elementStart = -1;
      afterComma = true;
    } else if (depth === 2 && found && found.close < 0 && elementStart < 0 && c > 32) elementStart = i;
  }
  return depth === 0 && found && found.close > 0 ? found : undefined;
}
