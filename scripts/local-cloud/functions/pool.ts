import { Worker } from 'node:worker_threads';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { InstanceData, InvokeMessage, ResultMessage } from './worker';

export interface PoolOptions {
  functionsRoot: string;
  workerFile: string;
  port: number;
  envId: string;
  appId: string;
  /** Warm instances kept per function (the cloud scales out; a laptop keeps a few). */
  maxInstancesPerFunction: number;
  timeLimitMs: number;
}

export interface Invocation {
  name: string;
  event: unknown;
  openid: string;
  invocationId: string;
  adminUrl: string;
  env: Record<string, string>;
}

export class FunctionError extends Error {
  constructor(
    readonly errCode: number | string,
    readonly errMsg: string,
  ) {
    super(errMsg);
  }
}

interface Instance {
  worker: Worker;
  busy: boolean;
  pending?: {
    resolve: (json: string) => void;
    reject: (error: Error) => void;
    timer: NodeJS.Timeout;
    invocationId: string;
  };
}

/** Lists the deployable functions: folders of functionsRoot with a built index.js, `_`-prefixed shared code excluded. */
export function listFunctions(functionsRoot: string): string[] {
  if (!existsSync(functionsRoot)) return [];
  return readdirSync(functionsRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_') && !entry.name.startsWith('.'))
    .filter((entry) => existsSync(path.join(functionsRoot, entry.name, 'index.js')))
    .map((entry) => entry.name)
    .sort();
}

/** A small pool of warm instances per function; each instance serves one invocation at a time. */
export class FunctionPool {
  private readonly instances = new Map<string, Instance[]>();
  private readonly queues = new Map<string, Array<() => void>>();
  private readonly names: Set<string>;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    this.names = new Set(listFunctions(options.functionsRoot));
  }

  get functionNames(): string[] {
    return [...this.names];
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** Runs one invocation; the function's return value comes back as the JSON text its instance wrote. */
  async invokeJson(call: Invocation): Promise<string> {
    if (this.closed) throw new FunctionError(-504002, 'the local cloud is shutting down');
    if (!this.names.has(call.name))
      throw new FunctionError(-501000, `FunctionName parameter could not be found: ${call.name}`);
    const instance = await this.acquire(call.name);
    try {
      return await this.run(instance, call);
    } finally {
      instance.busy = false;
      this.queues.get(call.name)?.shift()?.();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.instances.values()].flat();
    this.instances.clear();
    await Promise.all(all.map((instance) => instance.worker.terminate()));
  }

  /** Instances per function, for /health. */
  stats(): Record<string, { instances: number; busy: number; queued: number }> {
    const out: Record<string, { instances: number; busy: number; queued: number }> = {};
    for (const name of this.names) {
      const list = this.instances.get(name) ?? [];
      out[name] = {
        instances: list.length,
        busy: list.filter((i) => i.busy).length,
        queued: this.queues.get(name)?.length ?? 0,
      };
    }
    return out;
  }

  private async acquire(name: string): Promise<Instance> {
    for (;;) {
      const list = this.instances.get(name) ?? [];
      this.instances.set(name, list);
      const idle = list.find((instance) => !instance.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (list.length < this.options.maxInstancesPerFunction) {
        const instance = this.spawn(name);
        instance.busy = true;
        list.push(instance);
        return instance;
      }
      await new Promise<void>((resolve) => {
        const queue = this.queues.get(name) ?? [];
        this.queues.set(name, queue);
        queue.push(resolve);
      });
    }
  }

  private spawn(name: string): Instance {
    const workerData: InstanceData = {
      functionName: name,
      functionDir: path.join(this.options.functionsRoot, name),
      port: this.options.port,
      envId: this.options.envId,
      appId: this.options.appId,
    };
    // Each worker gets its own copy of process.env (Node's default), which is what isolates callers' identities.
    const worker = new Worker(this.options.workerFile, {
      workerData,
      env: { ...process.env },
      stdout: false,
      stderr: false,
      // A call allocates a few MB of short-lived objects (documents, EJSON): a roomier young generation collects
      // them in fewer scavenges.
      resourceLimits: { maxYoungGenerationSizeMb: 48 },
    });
    const instance: Instance = { worker, busy: false };
    worker.on('message', (reply: ResultMessage) => {
      const pending = instance.pending;
      if (!pending || pending.invocationId !== reply.invocationId) return;
      clearTimeout(pending.timer);
      delete instance.pending;
      if (reply.ok) pending.resolve(reply.json);
      else pending.reject(new FunctionError(reply.errCode, reply.errMsg));
    });
    const fail = (error: Error) => {
      this.drop(name, instance);
      const pending = instance.pending;
      if (pending) {
        clearTimeout(pending.timer);
        delete instance.pending;
        pending.reject(
          new FunctionError(-504002, `functions execute fail | instance of ${name} crashed: ${error.message}`),
        );
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    return instance;
  }

  private drop(name: string, instance: Instance): void {
    const list = this.instances.get(name);
    if (!list) return;
    const index = list.indexOf(instance);
    if (index >= 0) list.splice(index, 1);
    this.queues.get(name)?.shift()?.();
  }

  private run(instance: Instance, call: Invocation): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A timed-out container is killed, as the cloud does; the next call gets a fresh instance.
        delete instance.pending;
        this.drop(call.name, instance);
        void instance.worker.terminate();
        reject(
          new FunctionError(
            -504003,
            `functions execute fail | Invoking task timed out after ${this.options.timeLimitMs} ms`,
          ),
        );
      }, this.options.timeLimitMs);
      const message: InvokeMessage = {
        invocationId: call.invocationId,
        event: call.event,
        openid: call.openid,
        adminUrl: call.adminUrl,
        timeLimitMs: this.options.timeLimitMs,
        env: call.env,
      };
      try {
        // Structured clone refuses what JSON.parse accepted (e.g. very deep nesting): fail this call, keep the instance.
        instance.worker.postMessage(message);
      } catch (error) {
        clearTimeout(timer);
        reject(
          new FunctionError(
            -501001,
            `functions execute fail | the event cannot be passed to the function: ${(error as Error).message}`,
          ),
        );
        return;
      }
      instance.pending = { resolve, reject, timer, invocationId: call.invocationId };
    });
  }
}
