/** A store call waiting for its result, in a {@link DeadlineQueue}. */
export interface PendingDeadline {
  /** What the call does, for messages (e.g. 'reading consents'). */
  readonly what: string;
  /** Rejects the caller's promise (called by the queue's `onExpire`, at most once). */
  readonly reject: (error: unknown) => void;
  /** When the call is late, on the queue's clock (ms). */
  readonly due: number;
  /** The call settled in time. */
  done: boolean;
  /** The deadline passed before the call settled. */
  late: boolean;
  next: PendingDeadline | undefined;
}

/**
 * The deadlines of every store call of one engine. They all last the same `ms`, so they expire in the order the
 * calls started: a FIFO with ONE timer, armed for the oldest call still pending, does what a timer per call would
 * (and costs one timer insertion per `ms`, not one per call). A settled call is only marked done; it leaves the
 * queue when it reaches the head. The timer holds the process open only while a call is pending, as a timer per
 * call did.
 */
export class DeadlineQueue {
  private first: PendingDeadline | undefined;
  private last: PendingDeadline | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pending = 0;

  /**
   * @param ms - how long every call may take
   * @param onExpire - called once for each call whose deadline passes before it settles
   */
  constructor(readonly ms: number, private readonly onExpire: (call: PendingDeadline) => void) {}

  /** Starts the deadline of a call. */
  start(what: string, reject: (error: unknown) => void): PendingDeadline {
    // The global performance clock (not perf_hooks'), which fake timers move together with setTimeout.
    const call: PendingDeadline = { what, reject, due: performance.now() + this.ms, done: false, late: false, next: undefined };
    if (this.last === undefined) this.first = call;
    else this.last.next = call;
    this.last = call;
    this.pending++;
    if (this.timer === undefined) this.arm(this.ms);
    else if (this.pending === 1) this.timer.ref();
    return call;
  }

  /**
   * Marks a call settled; true when it settled in time (its caller gets the result), false when its deadline
   * had already passed (what it did is then the caller's to report).
   */
  settle(call: PendingDeadline): boolean {
    if (call.late || call.done) return false;
    call.done = true;
    this.pending--;
    // Calls mostly settle in the order they started: drop the settled ones at the head now, so that the queue (and
    // what their callers' closures hold) does not grow with the load until the timer fires.
    let first = this.first;
    while (first !== undefined && first.done) first = first.next;
    this.first = first;
    if (first === undefined) this.last = undefined;
    if (this.pending === 0) this.timer?.unref();
    return true;
  }

  /** How many calls the queue still holds, pending or settled and not yet dropped (walks the queue: for tests). */
  held(): number {
    let n = 0;
    for (let call = this.first; call !== undefined; call = call.next) n++;
    return n;
  }

  /** Whether a pending call holds the process open (its timer is referenced). */
  holdsProcess(): boolean {
    return this.timer?.hasRef() ?? false;
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => this.expireDue(), delay);
    if (this.pending === 0) this.timer.unref();
  }

  private expireDue(): void {
    this.timer = undefined;
    const now = performance.now();
    let call = this.first;
    while (call !== undefined && (call.done || call.due <= now)) {
      if (!call.done) {
        call.late = true;
        this.pending--;
        this.onExpire(call);
      }
      call = call.next;
    }
    this.first = call;
    if (call === undefined) this.last = undefined;
    // A timer may fire a fraction of a millisecond before `due` on this clock: wait for the rest.
    else this.arm(Math.max(1, Math.ceil(call.due - now)));
  }
}
