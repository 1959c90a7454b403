import { createSocket } from "node:dgram";
import { connect, isIP, isIPv6, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import type { AttemptOutcome } from "./delivery-model.ts";
import { octetCounted } from "./syslog-message.ts";

export interface SyslogOptions {
  timeoutMs: number;
  /** The CAs a syslog+tls receiver's certificate is checked against (undefined: the system's). */
  ca?: string[] | undefined;
}

/**
 * Sends a round's messages to one receiver: over TCP, or TLS (RFC 5425, the certificate checked
 * against the receiver's host name), in one connection, octet-counted (RFC 6587), delivered once
 * the connection has flushed and closed cleanly; over UDP one datagram each (UDP cannot say
 * whether anything arrived, so only a local send error fails).
 */
export function sendSyslog(url: URL, messages: readonly string[], options: SyslogOptions): Promise<AttemptOutcome> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port);
  const { timeoutMs, ca } = options;
  if (url.protocol === "syslog+udp:") return sendUdp(host, port, messages, timeoutMs);
  if (url.protocol === "syslog+tcp:") return sendStream(messages, () => connect({ host, port, timeout: timeoutMs }));
  const servername = isIP(host) ? undefined : host;
  const opened = () =>
    connectTls({ host, port, timeout: timeoutMs, ...(servername ? { servername } : {}), ...(ca ? { ca } : {}) });
  return sendStream(messages, opened, "secureConnect");
}

function sendStream(
  messages: readonly string[],
  open: () => Socket,
  ready: "connect" | "secureConnect" = "connect",
): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let failure: string | undefined;
    const socket = open();
    socket.on("timeout", () => socket.destroy(new Error("timed out")));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      failure = error.code ?? error.message;
    });
    socket.on("close", () =>
      resolve(failure === undefined ? { delivered: true } : { delivered: false, error: failure }),
    );
    socket.on(ready, () => {
      for (const message of messages) socket.write(octetCounted(message));
      socket.end();
    });
  });
}

function sendUdp(host: string, port: number, messages: readonly string[], timeoutMs: number): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(host) ? "udp6" : "udp4");
    const timer = setTimeout(() => finish("timed out"), timeoutMs);
    let pending = messages.length;
    let done = false;
    function finish(error?: string): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(error === undefined ? { delivered: true } : { delivered: false, error });
    }
    socket.on("error", (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    if (pending === 0) return finish();
    for (const message of messages)
      socket.send(Buffer.from(message, "utf8"), port, host, (error) => {
        if (error) return finish((error as NodeJS.ErrnoException).code ?? error.message);
        if (--pending === 0) finish();
      });
  });
}
