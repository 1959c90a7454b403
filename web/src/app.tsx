import { QueryClientProvider } from "@tanstack/preact-query";
import { useEffect, useState } from "preact/hooks";
import { createQueryClient } from "./data/query-client.ts";
import { call, type Session, saveSession, savedSession, UNAUTHORIZED_EVENT, type Who } from "./api.ts";
import { AlertsPage } from "./pages/alerts.tsx";
import { AuditPage } from "./pages/audit.tsx";
import { BiocsPage } from "./pages/biocs.tsx";
import { CorrelationsPage } from "./pages/correlations.tsx";
import { FeedsPage } from "./pages/feeds.tsx";
import { IntelImportPage } from "./pages/intel-import.tsx";
import { DeliveryPage } from "./pages/delivery.tsx";
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
  { id: "feeds", label: "TAXII feeds", page: FeedsPage, roles: ["instance_admin", "analyst", "viewer"] },
  { id: "intel-import", label: "Import intel", page: IntelImportPage, roles: ["instance_admin"] },
  { id: "try", label: "Try it", page: TryItPage, roles: ["instance_admin", "analyst"] },
  { id: "alerts", label: "Alerts", page: AlertsPage, roles: ["instance_admin", "analyst", "viewer"] },
  { id: "audit", label: "Audit log", page: AuditPage, roles: ["instance_admin"] },
  { id: "delivery", label: "Delivery", page: DeliveryPage, roles: ["instance_admin", "analyst"] },
] as const;

function route(): { id: string; rule: number | undefined } {
  const [id = "iocs", query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const rule = new URLSearchParams(query).get("rule");
  return { id, rule: rule ? Number(rule) : undefined };
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [session, setSession] = useState<Session | undefined>(savedSession());
  const [who, setWho] = useState<Who>();
  const [where, setWhere] = useState(route());
  const [signedOutWhy, setSignedOutWhy] = useState("");

  useEffect(() => {
    const onHash = () => setWhere(route());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  // A key revoked, expired or replaced while the console is open: one sign-out with the reason,
  // instead of every page saying "unauthorized" under a shell that looks signed in.
  useEffect(() => {
    if (!session) return;
    const onRefused = () => {
      signOut();
      setSignedOutWhy("Your API key was refused (revoked, expired or changed). Sign in again with a valid key.");
    };
    addEventListener(UNAUTHORIZED_EVENT, onRefused);
    return () => removeEventListener(UNAUTHORIZED_EVENT, onRefused);
  }, [session]);

  useEffect(() => {
    if (!session) return;
    call<{ reply: Who }>(session, "/public_api/v1/session/whoami", { request_data: {} })
      .then((r) => setWho(r.reply))
      .catch(() => signOut());
  }, [session]);

  function signOut() {
    // What one key was allowed to read must not be shown to the next one to sign in.
    queryClient.clear();
    saveSession(undefined);
    setSession(undefined);
    setWho(undefined);
  }

  if (!session || !who) {
    return (
      <SignIn
        notice={signedOutWhy}
        onSignedIn={(s, w) => {
          setSignedOutWhy("");
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
    <QueryClientProvider client={queryClient}>
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
    </QueryClientProvider>
  );
}
