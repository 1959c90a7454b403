import { useEffect, useState } from "preact/hooks";
import { call, type Session, saveSession, savedSession, type Who } from "./api.ts";
import { AlertsPage } from "./pages/alerts.tsx";
import { AuditPage } from "./pages/audit.tsx";
import { BiocsPage } from "./pages/biocs.tsx";
import { CorrelationsPage } from "./pages/correlations.tsx";
import { IocsPage } from "./pages/iocs.tsx";
import { SignIn } from "./pages/sign-in.tsx";
import { TryItPage } from "./pages/try-it.tsx";

export interface PageProps {
  session: Session;
  who: Who;
  /** `rule` narrows a rule list to one id (links from alerts and hits). */
  rule: number | undefined;
}

const PAGES = [
  { id: "iocs", label: "IOC rules", page: IocsPage, roles: ["instance_admin", "analyst", "viewer"] },
  { id: "biocs", label: "BIOC rules", page: BiocsPage, roles: ["instance_admin", "analyst", "viewer"] },
  {
    id: "correlations",
    label: "Correlation rules",
    page: CorrelationsPage,
    roles: ["instance_admin", "analyst", "viewer"],
  },
  { id: "try", label: "Try it", page: TryItPage, roles: ["instance_admin", "analyst"] },
  { id: "alerts", label: "Alerts", page: AlertsPage, roles: ["instance_admin", "analyst", "viewer"] },
  { id: "audit", label: "Audit log", page: AuditPage, roles: ["instance_admin"] },
] as const;

function route(): { id: string; rule: number | undefined } {
  const [id = "iocs", query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const rule = new URLSearchParams(query).get("rule");
  return { id, rule: rule ? Number(rule) : undefined };
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(savedSession());
  const [who, setWho] = useState<Who>();
  const [where, setWhere] = useState(route());

  useEffect(() => {
    const onHash = () => setWhere(route());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    if (!session) return;
    call<{ reply: Who }>(session, "/public_api/v1/session/whoami", { request_data: {} })
      .then((r) => setWho(r.reply))
      .catch(() => signOut());
  }, [session]);

  function signOut() {
    saveSession(undefined);
    setSession(undefined);
    setWho(undefined);
  }

  if (!session || !who) {
    return (
      <SignIn
        onSignedIn={(s, w) => {
          saveSession(s);
          setSession(s);
          setWho(w);
        }}
      />
    );
  }
  const visible = PAGES.filter((p) => (p.roles as readonly string[]).includes(who.role));
  const current = visible.find((p) => p.id === where.id) ?? visible[0];
  const Page = current?.page ?? IocsPage;
  return (
    <div class="shell">
      <header>
        <strong class="brand">Warden</strong>
        <nav aria-label="Main">
          {visible.map((p) => (
            <a key={p.id} href={`#/${p.id}`} aria-current={p.id === current?.id ? "page" : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
        <span class="who" data-testid="who">
          {who.tenant} · {who.role.replace("_", " ")}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        <Page session={session} who={who} rule={where.rule} />
      </main>
    </div>
  );
}
