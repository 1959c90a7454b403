import { createSocket } from "node:dgram";
import { connect, isIPv6 } from "node:net";
import type { AttemptOutcome } from "./delivery-model.ts";
import { octetCounted } from "./syslog-message.ts";

/**
 * Sends a round's messages to one receiver: over TCP in one connection, octet-counted (RFC 6587),
 * delivered once the connection has flushed and closed cleanly; over UDP one datagram each (UDP
 * cannot say whether anything arrived, so only a local send error fails).
 */
export function sendSyslog(url: URL, messages: readonly string[], timeoutMs: number): Promise<AttemptOutcome> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port);
  return url.protocol === "syslog+tcp:"
    ? sendTcp(host, port, messages, timeoutMs)
    : sendUdp(host, port, messages, timeoutMs);
}

function sendTcp(host: string, port: number, messages: readonly string[], timeoutMs: number): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let failure: string | undefined;
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.on("timeout", () => socket.destroy(new Error("timed out")));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      failure = error.code ?? error.message;
    });
    socket.on("close", () =>
      resolve(failure === undefined ? { delivered: true } : { delivered: false, error: failure }),
    );
    socket.on("connect", () => {
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
