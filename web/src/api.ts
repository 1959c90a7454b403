/** Talks to Warden's own API with the signed-in key; advanced keys are signed here with Web Crypto. */

export interface Session {
  keyId: string;
  secret: string;
  advanced: boolean;
}

export interface Who {
  key_id: number;
  tenant: string;
  role: "instance_admin" | "analyst" | "viewer";
  license: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly extra: unknown,
    message: string,
  ) {
    super(message);
  }
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function authHeaders(session: Session): Promise<Record<string, string>> {
  if (!session.advanced) return { "x-xdr-auth-id": session.keyId, authorization: session.secret };
  const nonce = hex(crypto.getRandomValues(new Uint8Array(32)).buffer);
  const timestamp = String(Date.now());
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(session.secret + nonce + timestamp));
  return {
    "x-xdr-auth-id": session.keyId,
    "x-xdr-nonce": nonce,
    "x-xdr-timestamp": timestamp,
    authorization: hex(digest),
  };
}

/** Fired on any 401 with a key: the shell signs out once, whichever page asked (data/unauthorized.ts). */
export const UNAUTHORIZED_EVENT = "warden:unauthorized";

/** POSTs a body (JSON unless already text) and answers the JSON reply, or throws the API's error. */
export async function call<T>(session: Session, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, {
    method: "POST",
    headers: { ...(await authHeaders(session)), "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as { err_msg?: string; err_extra?: unknown };
  if (res.status === 401) dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
  if (!res.ok) {
    const extra = json.err_extra;
    const detail = typeof extra === "string" ? extra : extra ? JSON.stringify(extra) : "";
    throw new ApiError(res.status, extra, `${json.err_msg ?? `HTTP ${res.status}`}${detail ? ` (${detail})` : ""}`);
  }
  return json as T;
}

/** POSTs a body and answers the reply as a file (an export): its text and headers, or throws the API's error. */
export async function callForFile(
  session: Session,
  path: string,
  body: unknown,
): Promise<{ text: string; headers: Headers }> {
  const res = await fetch(path, {
    method: "POST",
    headers: { ...(await authHeaders(session)), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.ok) return { text: await res.text(), headers: res.headers };
  // an error answers JSON like any other call: let call's path report it
  const json = (await res.json().catch(() => ({}))) as { err_msg?: string; err_extra?: unknown };
  if (res.status === 401) dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
  const detail = typeof json.err_extra === "string" ? ` (${json.err_extra})` : "";
  throw new ApiError(res.status, json.err_extra, `${json.err_msg ?? `HTTP ${res.status}`}${detail}`);
}

const KEY = "warden.session";

/** The key lives in this tab only (sessionStorage), never in localStorage or a cookie. */
export function savedSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : undefined;
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

export type Filter = { field: string; operator: string; value: unknown };
