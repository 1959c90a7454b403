import { useState } from "preact/hooks";

/** The outcome of the last thing the user did on a page: one line, success or failure, never both. */
export type Notice = { kind: "ok" | "error"; text: string } | undefined;

export function useNotice() {
  const [notice, setNotice] = useState<Notice>();
  return {
    notice,
    ok: (text: string) => setNotice({ kind: "ok", text }),
    fail: (e: unknown) => setNotice({ kind: "error", text: e instanceof Error ? e.message : String(e) }),
    clear: () => setNotice(undefined),
  };
}

export function NoticeLine({ notice }: { notice: Notice }) {
  if (!notice) return null;
  return notice.kind === "ok" ? (
    <p role="status">{notice.text}</p>
  ) : (
    <p role="alert" class="error">
      {notice.text}
    </p>
  );
}
