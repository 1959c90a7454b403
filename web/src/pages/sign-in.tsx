import { useState } from "preact/hooks";
import { call, type Session, type Who } from "../api.ts";

/** `notice` says why the console signed out by itself, until the user tries a key. */
export function SignIn({ onSignedIn, notice = "" }: { onSignedIn: (session: Session, who: Who) => void; notice?: string }) {
  const [error, setError] = useState(notice);
  async function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const session = { keyId: String(form.get("keyId")).trim(), secret: String(form.get("secret")).trim(), advanced: form.get("advanced") === "on" };
    try {
      const who = await call<{ reply: Who }>(session, "/public_api/v1/session/whoami", { request_data: {} });
      onSignedIn(session, who.reply);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <main class="sign-in">
      <h1>Warden</h1>
      <p>Sign in with an API key. It is kept for this tab only.</p>
      <form onSubmit={submit}>
        <label>
          API key ID
          <input name="keyId" inputMode="numeric" required autoComplete="username" />
        </label>
        <label>
          API key
          <input name="secret" type="password" required autoComplete="current-password" />
        </label>
        <label class="inline">
          <input name="advanced" type="checkbox" /> Advanced key (signed with a nonce and timestamp)
        </label>
        <button type="submit">Sign in</button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
