/** Real receivers on loopback for the delivery tests: an HTTP webhook endpoint, syslog over UDP and TCP. */
import { createSocket } from "node:dgram";
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";

export interface WebhookRequest {
  key: string;
  timestamp: string;
  signature: string;
  body: string;
  /** What the receiver answered: a status, or "hang" (it never answered). */
  answer: number | "hang";
}

/** How the receiver answers the nth (0-based) request carrying one idempotency key. */
export type Plan = (key: string, nth: number) => number | "hang";

export interface WebhookReceiver {
  port: number;
  url: string;
  requests: WebhookRequest[];
  plan: Plan;
  close(): Promise<void>;
}

export async function startWebhookReceiver(plan: Plan = () => 200, port = 0): Promise<WebhookReceiver> {
  const requests: WebhookRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const receiver = { requests, plan } as WebhookReceiver;
  const server: HttpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const key = String(req.headers["idempotency-key"]);
      const answer = receiver.plan(key, requests.filter((r) => r.key === key).length);
      requests.push({
        key,
        timestamp: String(req.headers["warden-timestamp"]),
        signature: String(req.headers["warden-signature"]),
        body: Buffer.concat(chunks).toString("utf8"),
        answer,
      });
      if (answer === "hang") hanging.add(res);
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** A loopback port nothing listens on (bound, then released), for "connection refused". */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SyslogReceiver {
  port: number;
  /** Whole messages, as received (TCP: with the octet-count framing removed and checked). */
  messages: string[];
  close(): Promise<void>;
}

export async function startUdpSyslog(): Promise<SyslogReceiver> {
  const socket = createSocket("udp4");
  const messages: string[] = [];
  socket.on("message", (msg) => messages.push(msg.toString("utf8")));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    port: socket.address().port,
    messages,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Reads RFC 6587 octet-counted frames: a decimal byte count, a space, exactly that many bytes. */
function frameReader(messages: string[], framingErrors: string[]) {
  return (socket: Socket) => {
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) return;
        const count = buffer.subarray(0, space).toString("ascii");
        if (!/^[1-9][0-9]*$/.test(count)) {
          framingErrors.push(`bad octet count '${count}'`);
          buffer = Buffer.alloc(0);
          return;
        }
        const end = space + 1 + Number(count);
        if (buffer.length < end) return;
        messages.push(buffer.subarray(space + 1, end).toString("utf8"));
        buffer = buffer.subarray(end);
      }
    });
    socket.on("end", () => {
      if (buffer.length > 0) framingErrors.push(`${buffer.length} bytes left over`);
    });
  };
}

type FramedReceiver = SyslogReceiver & { framingErrors: string[] };

async function listening(server: Server | TlsServer, messages: string[], framingErrors: string[], port: number) {
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    framingErrors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startTcpSyslog(port = 0): Promise<FramedReceiver> {
  const messages: string[] = [];
  const framingErrors: string[] = [];
  return listening(createTcpServer(frameReader(messages, framingErrors)), messages, framingErrors, port);
}

/** RFC 5425: the same frames over TLS, with this certificate. */
export async function startTlsSyslog(tls: { cert: string; key: string }): Promise<FramedReceiver> {
  const messages: string[] = [];
  const framingErrors: string[] = [];
  return listening(createTlsServer(tls, frameReader(messages, framingErrors)), messages, framingErrors, 0);
}
