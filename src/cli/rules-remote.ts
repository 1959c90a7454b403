/** The server options every remote `rules` command takes, and the SDK client they make. */
import { type Command, Option } from "commander";
import { createWardenClient, type WardenClient } from "../../packages/sdk/src/index.ts";
import { exitWithError } from "./cli-context.ts";

export interface RemoteOptions {
  url?: string;
  keyId?: string;
  key?: string;
  advanced?: boolean;
}

export function withRemoteOptions(command: Command): Command {
  return command
    .addOption(new Option("--url <url>", "the server's base URL").env("WARDEN_URL"))
    .addOption(new Option("--key-id <id>", "the API key's id").env("WARDEN_KEY_ID"))
    .addOption(new Option("--key <secret>", "the API key's secret").env("WARDEN_KEY"))
    .option("--advanced", "the key is an advanced key: sign each request");
}

export function remoteClient(options: RemoteOptions): WardenClient {
  if (!options.url || !options.keyId || !options.key)
    return exitWithError("a server is needed: --url, --key-id and --key (or WARDEN_URL, WARDEN_KEY_ID, WARDEN_KEY)");
  return createWardenClient({
    url: options.url,
    key: { id: options.keyId, secret: options.key, advanced: options.advanced === true },
  });
}
