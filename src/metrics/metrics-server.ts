/**
 * `/metrics` on a port of its own (WARDEN_METRICS_PORT): Prometheus scrapes there, and the API's
 * port does not answer it, so the API can be exposed without exposing the metrics. Anything but
 * GET /metrics is 404.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { WardenMetrics } from "./warden-metrics.ts";

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function listenForMetrics(metrics: WardenMetrics, host: string, port: number): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found: metrics are at GET /metrics\n");
      return;
    }
    metrics.scrape().then(
      (text) => response.writeHead(200, { "content-type": metrics.contentType }).end(text),
      () => response.writeHead(500, { "content-type": "text/plain" }).end("metrics could not be collected\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Prometheus keeps its connection open between scrapes; close would otherwise wait for it
    server.closeAllConnections();
  });
}
