/**
 * How Warden proves itself to nats-server and checks the server (docs/stream.md): a user and
 * password, a token, or a credentials file (JWT and NKey, NATS's decentralised accounts); and TLS
 * with the server checked against a CA file, with a client certificate where the server asks for
 * one. Secrets come from the environment or from files, never from flags, which `ps` shows.
 */
import { readFileSync } from "node:fs";
import { credsAuthenticator, type NodeConnectionOptions } from "@nats-io/transport-node";

export interface NatsSecurity {
  user?: string | undefined;
  password?: string | undefined;
  token?: string | undefined;
  /** A `.creds` file (`nsc generate creds`), read at each connect so a rotated file is picked up. */
  credsFile?: string | undefined;
  /** TLS: on when any of these is set or the URL says `tls://`. */
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
}

type Env = Record<string, string | undefined>;

/** A secret given inline (WARDEN_X) or as a file's content (WARDEN_X_FILE, as container secrets are mounted). */
function secret(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, "utf8").trim();
    } catch (error) {
      throw new Error(`${name}_FILE: cannot read '${file}': ${(error as Error).message}`);
    }
  }
  return env[name] || undefined;
}

function readable(name: string, path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    readFileSync(path);
  } catch (error) {
    throw new Error(`${name}: cannot read '${path}': ${(error as Error).message}`);
  }
  return path;
}

/** The settings from the environment, checked now so a mistake stops `serve` with a clear message. */
export function natsSecurityFromEnv(env: Env): NatsSecurity {
  const security: NatsSecurity = {
    user: env.WARDEN_NATS_USER || undefined,
    password: secret(env, "WARDEN_NATS_PASSWORD"),
    token: secret(env, "WARDEN_NATS_TOKEN"),
    credsFile: readable("WARDEN_NATS_CREDS", env.WARDEN_NATS_CREDS),
    caFile: readable("WARDEN_NATS_CA", env.WARDEN_NATS_CA),
    certFile: readable("WARDEN_NATS_CERT", env.WARDEN_NATS_CERT),
    keyFile: readable("WARDEN_NATS_KEY", env.WARDEN_NATS_KEY),
  };
  if (Boolean(security.user) !== Boolean(security.password))
    throw new Error("WARDEN_NATS_USER and WARDEN_NATS_PASSWORD go together: set both or neither");
  if (Boolean(security.certFile) !== Boolean(security.keyFile))
    throw new Error("WARDEN_NATS_CERT and WARDEN_NATS_KEY go together: set both or neither");
  const ways = [security.user, security.token, security.credsFile].filter(Boolean).length;
  if (ways > 1) throw new Error("give nats-server one way to authenticate: a user, a token or a credentials file");
  return security;
}

/** The connect options these settings make for `url` (`tls://` asks for TLS with the system's CAs). */
export function natsSecurityOptions(security: NatsSecurity, url: string): Partial<NodeConnectionOptions> {
  const { user, password, token, credsFile, caFile, certFile, keyFile } = security;
  const options: Partial<NodeConnectionOptions> = {};
  if (user && password) Object.assign(options, { user, pass: password });
  if (token) options.token = token;
  if (credsFile) options.authenticator = credsAuthenticator(() => new Uint8Array(readFileSync(credsFile)));
  if (caFile || certFile || /^tls:\/\//i.test(url))
    options.tls = { ...(caFile ? { caFile } : {}), ...(certFile && keyFile ? { certFile, keyFile } : {}) };
  return options;
}

/** The URL as logs may show it: without a user or password written into it. */
export function loggableNatsUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/g, "//");
}
