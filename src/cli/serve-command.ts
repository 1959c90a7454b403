import { dirname, join } from "node:path";
import { Command } from "commander";
import { buildApp, type Services } from "../app.ts";
import { type Config, loadConfig } from "../config.ts";
import { startDeliveryLoop } from "../delivery/delivery-dispatcher.ts";
import { actors } from "../domain/audit/audit-model.ts";
import { MASTER_KEY_FILE } from "../domain/keys/master-key.ts";
import { startRetention } from "../domain/retention/retention-scheduler.ts";
import { DEFAULT_TENANT } from "../domain/tenants/tenant-service.ts";
import { startCorrelationScheduler } from "../engine/correlations/correlation-scheduler.ts";
import { startFeedPoller } from "../intel/feed-poller.ts";
import { looseModeWarnings } from "../lib/private-files.ts";
import { listenForMetrics, type MetricsServer } from "../metrics/metrics-server.ts";

interface ServeOptions {
  host?: string;
  port?: string;
  database?: string;
  dataDir?: string;
  metricsPort?: string;
  nats?: string;
  natsStream?: string;
  natsInflight?: string;
}

/**
 * On first start with an empty store: tenant `default` and one Instance Administrator key,
 * whose secret is printed this once. When several processes start together only one wins.
 */
async function bootstrapEmptyStore({ tenants, keys }: Services): Promise<void> {
  if ((await tenants.list()).length > 0) return;
  const created = await tenants.create(DEFAULT_TENANT, actors.firstStart);
  if (!created.ok) return;
  const key = await keys.create(created.value, "instance_admin", "standard", null, actors.firstStart);
  process.stdout.write(
    `\nFirst start: created tenant '${DEFAULT_TENANT}' and an Instance Administrator API key.\n` +
      `The secret is shown only now; keep it safe:\n  x-xdr-auth-id: ${key.id}\n  Authorization: ${key.secret}\n\n`,
  );
}

/** The data directory and files whose modes are checked at start (a PostgreSQL database is not a file here). */
function dataPaths(config: Config): { path: string; dir?: boolean }[] {
  const paths = [{ path: config.dataDir, dir: true }, { path: join(config.dataDir, MASTER_KEY_FILE) }];
  if (/^postgres(ql)?:\/\//i.test(config.database) || config.database === ":memory:") return paths;
  const db = config.database;
  if (dirname(db) !== config.dataDir) paths.push({ path: dirname(db), dir: true });
  return [...paths, { path: db }, { path: `${db}-wal` }, { path: `${db}-shm` }];
}

async function serve(options: ServeOptions): Promise<void> {
  const config = loadConfig(options);
  const { app, services } = await buildApp(config);
  for (const warning of looseModeWarnings(dataPaths(config))) app.log.warn(warning);
  await bootstrapEmptyStore(services);
  const stopPolling = startFeedPoller(services.feeds, (error) =>
    app.log.error({ err: error }, "TAXII feed poll failed"),
  );
  const serverSyslog = await services.delivery.ensureServerSyslog(config.delivery.serverSyslogUrl);
  if (!serverSyslog.ok) throw new Error(serverSyslog.error);
  const stopDelivery = startDeliveryLoop(services.dispatcher, config.delivery.tickMs, (error) =>
    app.log.error({ err: error }, "alert delivery round failed"),
  );
  let scheduler: { stop(): Promise<void> } | undefined;
  let metricsServer: MetricsServer | undefined;
  let retention: { stop(): Promise<void> } | undefined;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, "shutting down");
      stopPolling();
      stopDelivery();
      // The stream consumer first: what it has in hand is stored and acknowledged before the store closes.
      void Promise.all([services.stream?.stop(), scheduler?.stop()])
        .then(() => retention?.stop())
        .then(() => metricsServer?.close())
        .then(() => app.close())
        .then(() => process.exit(0));
    });
  }
  await app.listen({ host: config.host, port: config.port });
  if (config.metricsPort !== null) {
    metricsServer = await listenForMetrics(services.metrics, config.host, config.metricsPort);
    app.log.info({ port: metricsServer.port }, "metrics at /metrics on their own port");
  }
  retention = startRetention(services.retention, config.retentionTickMs, app.log);
  scheduler = startCorrelationScheduler(services.correlationEngine, services.clock, config.correlationTickMs, app.log);
  services.stream?.start(app.log);
}

export function serveCommand(): Command {
  return new Command("serve")
    .description("run the API server")
    .option("--host <host>", "address to listen on (env WARDEN_HOST, default 127.0.0.1)")
    .option("--port <port>", "port to listen on (env WARDEN_PORT, default 8080)")
    .option(
      "--metrics-port <port>",
      "serve /metrics on this port (same host) instead of the API's (env WARDEN_METRICS_PORT)",
    )
    .option(
      "--nats <url>",
      "also consume events from NATS JetStream, e.g. nats://host:4222 or tls://host:4222 (env WARDEN_NATS_URL; credentials and TLS: WARDEN_NATS_USER/_PASSWORD/_TOKEN/_CREDS/_CA/_CERT/_KEY, docs/stream.md)",
    )
    .option(
      "--nats-stream <name>",
      "the JetStream stream, created when missing (env WARDEN_NATS_STREAM, default WARDEN_EVENTS)",
    )
    .option("--nats-inflight <n>", "messages one node holds at once (env WARDEN_NATS_INFLIGHT, default 32)")
    .action(async (_options: unknown, command: Command) => serve(command.optsWithGlobals<ServeOptions>()));
}
