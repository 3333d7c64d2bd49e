import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Request, Response } from 'express';
import {
  DRIFT_OBSERVATIONS_VERSION,
  isoTime,
  mergeDriftObservations,
  parseDriftObservations,
  type DriftObservations,
  type PrivacyKitError,
  type RouteObservation,
} from '@privacy-kit/core';
import { discoverRoutes } from '../discovery/walk-routes';
import type { PersonalDataDetector, ResolvedDriftOptions } from './drift.options';
import { DRIFT_RECORDERS_KEY } from '../symbols';
import { expressError } from '../errors';

const REFRESH_EVERY_MS = 1000;
/** Responses watched unconditionally, at most, while some route has not had its warm-up samples. */
const WARM_PHASE_BUDGET = 20_000;
const TEXTUAL = /json|text|xml|html|javascript|csv/i;

interface Seen {
  readonly categories: Set<string>;
  samples: number;
  firstSeen: string;
  lastSeen: string;
}

function liveRecorders(): Set<DriftRecorder> {
  const holder = globalThis as unknown as Record<symbol, Set<DriftRecorder> | undefined>;
  let set = holder[DRIFT_RECORDERS_KEY];
  if (set === undefined) {
    set = new Set();
    Object.defineProperty(holder, DRIFT_RECORDERS_KEY, { value: set });
    // One hook for every recorder, so many kits do not pile up exit listeners.
    process.once('exit', () => {
      for (const recorder of set ?? []) recorder.flushSync();
    });
  }
  return set;
}

function toObservations(map: ReadonlyMap<string, Seen>): DriftObservations {
  const routes: Record<string, RouteObservation> = {};
  let updatedAt = '';
  for (const [id, seen] of map) {
    routes[id] = { categories: [...seen.categories].sort(), samples: seen.samples, firstSeen: seen.firstSeen, lastSeen: seen.lastSeen };
    if (seen.lastSeen > updatedAt) updatedAt = seen.lastSeen;
  }
  return { version: DRIFT_OBSERVATIONS_VERSION, updatedAt, routes };
}

/**
 * Drift detection: inspects a sample of response bodies of every route (annotated or not) for personal data
 * and records, per route, the categories seen. Only category keys and counts are kept, never a value.
 * Created by `privacy({ drift })`; reach it as `kit.drift`.
 */
export class DriftRecorder {
  private readonly seen = new Map<string, Seen>();
  private pending = new Map<string, Seen>();
  private readonly offered = new Map<string, number>();
  private base: DriftObservations | undefined;
  private app: unknown;
  private ids = new WeakMap<object, Map<string, string>>();
  private unknown = new WeakSet<object>();
  private refreshedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Routes still short of their warm-up samples (undefined until the routes are known). */
  private warming: Set<string> | undefined;
  /** While true every response is watched; afterwards only a `sampleRate` share is, picked before routing. */
  private warm: boolean;
  private warmBudget = WARM_PHASE_BUDGET;

  constructor(
    readonly options: ResolvedDriftOptions,
    private readonly detect: PersonalDataDetector,
    private readonly onError: (error: PrivacyKitError) => void = () => undefined,
  ) {
    this.warm = options.warmup > 0;
    if (options.file !== undefined) {
      this.base = this.readFile(options.file);
      liveRecorders().add(this);
    }
  }

  /** Remembers the app whose routes are observed (done when `privacy()` is mounted). */
  attach(app: unknown): void {
    this.app = app;
    this.refreshedAt = 0;
    this.unknown = new WeakSet();
  }

  /**
   * Watches one response, when it may be inspected: its JSON or sent body is offered after it has been sent.
   * While some route still lacks its warm-up samples every response is watched; after that the sample is drawn
   * here, so that a response that is not sampled costs one random number.
   */
  watch(req: Request, res: Response): void {
    if (this.disposed) return;
    let preSampled = false;
    if (this.warm && --this.warmBudget < 0) this.warm = false;
    if (!this.warm) {
      if (!(Math.random() < this.options.sampleRate)) return;
      preSampled = true;
    }
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patched res.json/res.send keep their own `this` (the response)
    const recorder = this;
    const json = res.json;
    const send = res.send;
    let offered = false;
    res.json = function sampledJson(this: Response, body?: unknown) {
      if (offered) return json.call(this, body);
      offered = true;
      const result = json.call(this, body);
      recorder.offer(req, this, body, preSampled);
      return result;
    } as Response['json'];
    res.send = function sampledSend(this: Response, body?: unknown) {
      if (offered) return send.call(this, body);
      offered = true;
      const result = send.call(this, body);
      recorder.offer(req, this, body, preSampled);
      return result;
    } as Response['send'];
  }

  /** The route id (`METHOD path`) of the request's matched route, or undefined when unknown. */
  private routeId(req: Request): string | undefined {
    const route = req.route as object | undefined;
    if (route === undefined || this.app === undefined) return undefined;
    let byMethod = this.ids.get(route);
    if (byMethod === undefined) {
      // A route the walk did not find (privacy-kit's own, or added later): walk again at most once a second,
      // and never again for a route object a walk has already missed.
      if (this.unknown.has(route) || Date.now() - this.refreshedAt < REFRESH_EVERY_MS) return undefined;
      this.refresh();
      byMethod = this.ids.get(route);
      if (byMethod === undefined) {
        this.unknown.add(route);
        return undefined;
      }
    }
    return byMethod.get(req.method) ?? (req.method === 'HEAD' ? byMethod.get('GET') : undefined) ?? byMethod.get('ALL');
  }

  private refresh(): void {
    this.refreshedAt = Date.now();
    const ids = new WeakMap<object, Map<string, string>>();
    const all: string[] = [];
    for (const r of discoverRoutes(this.app)) {
      let byMethod = ids.get(r.route);
      if (byMethod === undefined) {
        byMethod = new Map();
        ids.set(r.route, byMethod);
      }
      if (!byMethod.has(r.method)) {
        const id = `${r.method} ${r.path}`;
        byMethod.set(r.method, id);
        all.push(id);
      }
    }
    this.ids = ids;
    // The first time the routes are known, note which still need their warm-up samples.
    if (this.warming === undefined && this.warm) this.warming = new Set(all.filter((id) => (this.offered.get(id) ?? 0) < this.options.warmup));
  }

  /**
   * Decides whether to inspect a sent body, and does: the first `warmup` responses of each route, then a
   * `sampleRate` share (already drawn when `preSampled`).
   */
  offer(req: Request, res: Response, body: unknown, preSampled = false): void {
    if (this.disposed) return;
    const id = this.routeId(req);
    if (id === undefined) return;
    const count = (this.offered.get(id) ?? 0) + 1;
    this.offered.set(id, count);
    if (count >= this.options.warmup && this.warming !== undefined && this.warming.delete(id) && this.warming.size === 0) this.warm = false;
    if (count > this.options.warmup && !preSampled && !(Math.random() < this.options.sampleRate)) return;
    const value = this.inspectable(res, body);
    if (value === undefined) return;
    let categories: readonly string[];
    try {
      categories = this.detect(value);
    } catch (cause) {
      this.onError(expressError('PK_CONFIG', `drift detection failed on a response of ${id}; the response was not affected.`, { cause }));
      return;
    }
    this.record(id, categories);
  }

  /** What the detector gets: text cut to `maxBodyBytes`, no binary; objects as they are (the detector bounds its work). */
  private inspectable(res: Response, body: unknown): unknown {
    if (body === undefined || body === null) return undefined;
    const max = this.options.maxBodyBytes;
    if (typeof body === 'string') return body.length > max ? body.slice(0, max) : body;
    if (Buffer.isBuffer(body)) {
      const type = String(res.get('Content-Type') ?? '');
      if (type !== '' && !TEXTUAL.test(type)) return undefined;
      return body.subarray(0, max).toString('utf8');
    }
    return body;
  }

  /** Adds categories seen in one inspected response of a route. */
  record(id: string, categories: readonly string[]): void {
    const now = isoTime();
    for (const map of [this.seen, this.pending]) {
      const seen = map.get(id);
      if (seen === undefined) map.set(id, { categories: new Set(categories), samples: 1, firstSeen: now, lastSeen: now });
      else {
        for (const c of categories) seen.categories.add(c);
        seen.samples++;
        seen.lastSeen = now;
      }
    }
    this.schedule();
  }

  /** Everything observed: the file's content at start plus this process's observations. */
  snapshot(): DriftObservations {
    const own = toObservations(this.seen);
    return this.base === undefined ? own : mergeDriftObservations(this.base, own);
  }

  private schedule(): void {
    if (this.options.file === undefined || this.disposed) return;
    if (this.options.flushIntervalMs === 0) {
      this.flushSync();
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  private readFile(file: string): DriftObservations | undefined {
    if (!existsSync(file)) return undefined;
    try {
      return parseDriftObservations(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
    } catch (cause) {
      this.onError(expressError('PK_IO', `drift: cannot read '${file}'; starting with no observations. Delete the file if it is corrupt.`, { cause }));
      return undefined;
    }
  }

  private takePending(): DriftObservations | undefined {
    if (this.pending.size === 0) return undefined;
    const delta = toObservations(this.pending);
    this.pending = new Map();
    return delta;
  }

  /**
   * Writes pending observations to the file now, merged with what is there (other processes' included).
   * Synchronous I/O on a small file, so two writes of one process never interleave.
   */
  flush(): Promise<void> {
    this.flushSync();
    return Promise.resolve();
  }

  /** Writes pending observations synchronously (also on exit and dispose). */
  flushSync(): void {
    const file = this.options.file;
    if (file === undefined) return;
    const delta = this.takePending();
    if (delta === undefined) return;
    try {
      const current = this.readFile(file);
      const merged = current === undefined ? delta : mergeDriftObservations(current, delta);
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`);
      renameSync(tmp, file);
    } catch (cause) {
      this.onError(expressError('PK_IO', `drift: cannot write '${file}'. Check that its folder is writable.`, { cause }));
    }
  }

  /** Stops sampling and writes what is pending. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushSync();
    liveRecorders().delete(this);
  }
}
