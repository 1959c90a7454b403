/**
 * Worker threads that parse and match events, one job at a time each, so ingest and scans use
 * every core and a costly rule never holds the main thread (health checks, other tenants). A job
 * that runs past its time budget has its worker terminated (synchronous work cannot be
 * interrupted any other way) and replaced; the job fails with MatchOverrun.
 *
 * Memory: each worker builds its own matcher from a tenant's rule snapshot (~120 bytes an IOC
 * rule per worker); the main thread keeps only the snapshot's columns. Building once and sharing
 * through SharedArrayBuffer would need the hash maps rewritten as flat tables; per-worker builds
 * run in parallel and keep the matcher code as it is.
 *
 * Each worker holds up to IN_FLIGHT jobs: the next waits in its port while it runs the current
 * one, so it never sits idle between pieces waiting for the main thread (busy reading a body or
 * writing alerts, or simply not scheduled yet on a loaded machine) to hand it more work.
 */
import { Worker } from "node:worker_threads";
import type { RuleSnapshot } from "../engine/rule-snapshot.ts";
import type { MatchJob, MatchResult } from "./match-job.ts";
import type { JobMessage } from "./match-worker.ts";

/** A job ran longer than the pool's time budget; its worker was replaced. */
export class MatchOverrun extends Error {
  constructor(readonly budgetMs: number) {
    super(`matching one batch of events took longer than ${budgetMs} ms`);
  }
}

interface Pending {
  id: number;
  job: MatchJob;
  rules: RuleSnapshot;
  resolve: (result: MatchResult) => void;
  reject: (error: Error) => void;
  /** Sent with its rules: the worker builds a matcher first and says when the job itself starts. */
  building?: boolean;
}

/** Jobs a worker is given at once: the one it runs and the one it takes next. */
const IN_FLIGHT = 2;

interface Thread {
  worker: Worker;
  /** tenant id -> the rule-set version this worker holds (or is being sent) */
  loaded: Map<number, number>;
  /** Sent and not answered, in the order the worker takes them; the first is running or next. */
  jobs: Pending[];
  timer: NodeJS.Timeout | undefined;
}

type Reply = { id: number } & ({ started: true } | { result: MatchResult } | { error: string });

/**
 * Workers run TypeScript like the rest of Warden: the worker's first act is to register tsx's
 * loader (hooks registered on the main thread do not reach workers on Node 20), then it imports
 * the worker module.
 */
function spawn(): Worker {
  const loader = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./match-worker.ts", import.meta.url).href;
  const boot = `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

export class MatchPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly budgetMs: number,
  ) {}

  /** Runs one job with the given rules (sent to the worker only if it lacks that version). */
  run(job: MatchJob, rules: RuleSnapshot): Promise<MatchResult> {
    if (this.closed) return Promise.reject(new Error("the match pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, rules, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; queued jobs fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error("the match pool is closed"));
    await Promise.all(this.threads.splice(0).map((thread) => this.stop(thread, new Error("the match pool is closed"))));
  }

  /** An idle worker first, then a new one (up to `size`), then one with room for a next job. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread =
        this.threads.find((t) => t.jobs.length === 0) ??
        this.grow() ??
        this.threads.find((t) => t.jobs.length < IN_FLIGHT);
      if (!thread) return;
      this.send(thread, this.queue.shift() as Pending);
    }
  }

  private grow(): Thread | undefined {
    if (this.threads.length >= this.size) return undefined;
    const thread: Thread = { worker: spawn(), loaded: new Map(), jobs: [], timer: undefined };
    thread.worker.on("message", (reply: Reply) => this.onReply(thread, reply));
    thread.worker.on("error", (error) => this.retire(thread, error));
    thread.worker.on("exit", (code) => this.retire(thread, new Error(`a match worker stopped (exit ${code})`)));
    this.threads.push(thread);
    return thread;
  }

  private send(thread: Thread, pending: Pending): void {
    const { job, rules } = pending;
    pending.building = thread.loaded.get(job.tenantId) !== job.version;
    thread.loaded.set(job.tenantId, job.version);
    thread.jobs.push(pending);
    const message: JobMessage = pending.building ? { id: pending.id, job, rules } : { id: pending.id, job };
    thread.worker.postMessage(message);
    if (thread.jobs.length === 1) this.startClock(thread);
  }

  /**
   * The time budget of the thread's first job starts when the worker takes it: now, unless the
   * worker builds a matcher first (it then says when it starts). Only building jobs are announced,
   * so a job costs one message each way: a "started" reply for every job was a tenth of the
   * messages the main thread handled on the collector path.
   */
  private startClock(thread: Thread): void {
    if (thread.jobs[0]?.building) return;
    thread.timer = setTimeout(() => this.overrun(thread), this.budgetMs);
  }

  /** A worker answers its jobs in the order it was sent them: a reply is always the first's. */
  private onReply(thread: Thread, reply: Reply): void {
    const pending = thread.jobs[0];
    if (!pending || pending.id !== reply.id) return;
    if ("started" in reply) {
      thread.timer = setTimeout(() => this.overrun(thread), this.budgetMs);
      return;
    }
    clearTimeout(thread.timer);
    thread.jobs.shift();
    if (thread.jobs.length > 0) this.startClock(thread); // the worker has taken its next job
    if ("result" in reply) pending.resolve(reply.result);
    else {
      thread.loaded.delete(pending.job.tenantId);
      pending.reject(new Error(reply.error));
    }
    this.dispatch();
  }

  private overrun(thread: Thread): void {
    void this.retire(thread, new MatchOverrun(this.budgetMs));
  }

  /**
   * Takes a worker out (overrun, crash or exit), fails the job it was running, puts the jobs
   * waiting behind it back at the head of the queue, and lets a replacement start.
   */
  private async retire(thread: Thread, error: Error): Promise<void> {
    const at = this.threads.indexOf(thread);
    if (at === -1) return;
    this.threads.splice(at, 1);
    this.queue.unshift(...thread.jobs.splice(1));
    await this.stop(thread, error);
    if (!this.closed) this.dispatch();
  }

  private async stop(thread: Thread, error: Error): Promise<void> {
    clearTimeout(thread.timer);
    for (const pending of thread.jobs.splice(0)) pending.reject(error);
    thread.worker.removeAllListeners();
    thread.worker.on("error", () => undefined); // a late error from a stopping worker has no one to tell
    await thread.worker.terminate();
  }
}
