/**
 * Reads the fields of one bulk-insert item, keeping the first problem as a reason the client can
 * act on. Each insert item is judged alone: a bad one becomes an `errors` entry, the rest go on.
 */
import { clip } from "../../lib/text.ts";

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `'${clip(value, 60)}'`;
  if (typeof value === "object") return "an object";
  return String(value);
}

/** The live service answers in Python's list notation. */
function pythonList(names: readonly string[]): string {
  return `[${names.map((n) => `'${n}'`).join(", ")}]`;
}

/** The reason naming every field the item may not carry, or undefined when it carries none. */
export function unknownFieldsReason(item: JsonObject, allowed: ReadonlySet<string>): string | undefined {
  // a loop rather than Object.keys().filter(): two arrays per item were garbage for every item of
  // a 40,000-item insert, where nearly none carries an unknown field (issue 13)
  for (const key in item) if (Object.hasOwn(item, key) && !allowed.has(key)) return extraFieldsReason(item, allowed);
  return undefined;
}

function extraFieldsReason(item: JsonObject, allowed: ReadonlySet<string>): string {
  const extra = Object.keys(item).filter((key) => !allowed.has(key));
  return `The allowed fields are: ${pythonList([...allowed])}. Got also the fields: ${pythonList(extra)}`;
}

export function notAnObjectReason(value: unknown): string {
  return `each item must be a JSON object, got ${describe(value)}`;
}

export class ItemReader {
  /** The first problem found, if any. */
  error: string | undefined;
  /** Whether `item` is our own copy yet: the caller's object is never changed. */
  private copied = false;

  constructor(
    private item: JsonObject,
    private readonly maxStringLength: number,
  ) {}

  private fail(reason: string): void {
    this.error ??= reason;
  }

  /** Absent and null read alike: the contract treats both as "not given". */
  private value(field: string): unknown {
    return Object.hasOwn(this.item, field) ? this.item[field] : undefined;
  }

  has(field: string): boolean {
    const value = this.value(field);
    return value !== undefined && value !== null;
  }

  raw(field: string): unknown {
    return this.value(field);
  }

  /** `undefined` for absent, null or 0: the item names no rule. */
  ruleId(field = "rule_id"): number | undefined {
    const value = this.value(field);
    if (value === undefined || value === null || value === 0) return undefined;
    if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
    this.fail(`${field} must be a positive integer, got ${describe(value)}`);
    return undefined;
  }

  string(field: string, fallback?: string): string {
    const value = this.value(field);
    if (value === undefined || value === null) {
      if (fallback === undefined) this.fail(`missing required field '${field}'`);
      return fallback ?? "";
    }
    if (typeof value !== "string") {
      this.fail(`${field} must be a string, got ${describe(value)}`);
      return "";
    }
    if (value.length > this.maxStringLength) {
      this.fail(`${field} is ${value.length} characters long; at most ${this.maxStringLength} are allowed`);
    }
    return value;
  }

  enumValue<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const value = this.value(field);
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    if (value === undefined || value === null) this.fail(`missing required field '${field}'`);
    else this.fail(`${field} must be one of ${allowed.join(", ")}; got ${describe(value)}`);
    return allowed[0] as T;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.value(field);
    if (value === undefined || value === null) return fallback;
    if (typeof value === "boolean") return value;
    this.fail(`${field} must be true or false, got ${describe(value)}`);
    return fallback;
  }

  stringArray(field: string): string[] {
    const value = this.value(field);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((entry) => typeof entry === "string")) {
      this.fail(`${field} must be an array of strings, got ${describe(value)}`);
      return [];
    }
    const tooLong = value.find((entry: string) => entry.length > this.maxStringLength);
    if (tooLong !== undefined) this.fail(`an entry of ${field} is longer than ${this.maxStringLength} characters`);
    return value;
  }

  /** Reads `field` as `value` from now on (for spellings normalised before the checks). */
  override(field: string, value: unknown): void {
    if (!this.copied) this.item = { ...this.item };
    this.copied = true;
    this.item[field] = value;
  }

  /** Records a problem found by a check outside the reader. */
  reject(reason: string): void {
    this.fail(reason);
  }
}
