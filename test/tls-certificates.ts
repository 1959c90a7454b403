/** A throwaway CA with a server certificate for 127.0.0.1 (and localhost) and a client certificate, made with openssl. */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCertificates {
  /** File paths, all in `dir`. */
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** The server's certificate and key as PEM text. */
  serverTls(): { cert: string; key: string };
}

export function makeCertificates(dir: string): TestCertificates {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  const days = ["-days", "2"];
  ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    ...days,
    "-subj",
    "/CN=test ca",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  );
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  for (const name of ["server", "client"]) {
    ssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
    );
    const ext = name === "server" ? ["-extfile", "san.ext"] : [];
    const sign = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", ...days];
    ssl("x509", "-req", "-in", `${name}.csr`, ...sign, "-out", `${name}.pem`, ...ext);
  }
  const file = (name: string) => join(dir, name);
  return {
    caFile: file("ca.pem"),
    serverCertFile: file("server.pem"),
    serverKeyFile: file("server.key"),
    clientCertFile: file("client.pem"),
    clientKeyFile: file("client.key"),
    serverTls: () => ({
      cert: readFileSync(file("server.pem"), "utf8"),
      key: readFileSync(file("server.key"), "utf8"),
    }),
  };
}
