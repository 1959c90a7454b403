/**
 * The stream and the durable pull consumer, created when missing. Every node runs this with the
 * same settings, which the server accepts as the same consumer: the nodes then share its messages.
 */
import {
  AckPolicy,
  type Consumer,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { type NatsConnection, nanos } from "@nats-io/transport-node";
import type { NatsConfig } from "../../config.ts";
import { SUBJECT_FILTER } from "./tenant-names.ts";

export interface BoundConsumer {
  consumer: Consumer;
  /** Names each message for good: a stream deleted and made again restarts its sequence numbers. */
  streamKey: string;
}

async function ensureStream(nc: NatsConnection, name: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  try {
    return Date.parse((await jsm.streams.info(name)).created);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
  }
  // A work queue: a message is gone once acknowledged, so the stream holds only what is left to do.
  // Two nodes creating it at once both succeed, the config being the same.
  const created = await jsm.streams.add({
    name,
    subjects: [SUBJECT_FILTER],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
  });
  return Date.parse(created.created);
}

export async function bindConsumer(nc: NatsConnection, config: NatsConfig): Promise<BoundConsumer> {
  const created = await ensureStream(nc, config.stream);
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(config.stream, {
    durable_name: config.consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(config.ackWaitMs),
    filter_subject: SUBJECT_FILTER,
  });
  const consumer = await jetstream(nc).consumers.get(config.stream, config.consumer);
  return { consumer, streamKey: `${config.stream}.${created}` };
}
