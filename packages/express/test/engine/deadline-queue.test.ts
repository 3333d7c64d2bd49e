import { DeadlineQueue, type PendingDeadline } from '../../src/engine/deadline-queue';

/** A queue on a clock the test moves, recording what expired. */
function queueOf(ms: number) {
  const expired: string[] = [];
  const queue = new DeadlineQueue(ms, (call) => { expired.push(call.what); });
  return { queue, expired };
}

const noop = (): void => undefined;

describe('the deadline queue', () => {
  beforeEach(() => { jest.useFakeTimers(); });
  afterEach(() => { jest.useRealTimers(); jest.restoreAllMocks(); });

  it('expires a call that has not settled once its deadline passes', () => {
    const { queue, expired } = queueOf(100);
    const call = queue.start('reading consents', noop);
    jest.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['reading consents']);
    expect(queue.settle(call)).toBe(false);
  });

  it('drops settled calls at the head at once, so that what it holds does not grow with the load until the timer fires', () => {
    const { queue } = queueOf(3_000);
    const calls = Array.from({ length: 1_000 }, (_, i) => queue.start(`call ${i}`, noop));
    expect(queue.held()).toBe(1_000);
    // Settled out of order: the second stays held behind the pending first, then both go when the first settles.
    queue.settle(calls[1] as PendingDeadline);
    expect(queue.held()).toBe(1_000);
    queue.settle(calls[0] as PendingDeadline);
    expect(queue.held()).toBe(998);
    for (const call of calls.slice(2)) queue.settle(call);
    expect(queue.held()).toBe(0);
    expect(queue.holdsProcess()).toBe(false);
  });

  it('does not expire a call that settled in time, and says it was in time', () => {
    const { queue, expired } = queueOf(100);
    const call = queue.start('writing the audit record', noop);
    expect(queue.settle(call)).toBe(true);
    jest.advanceTimersByTime(1_000);
    expect(expired).toEqual([]);
  });

  it('expires each of many calls at its own deadline, in the order they started', () => {
    const { queue, expired } = queueOf(100);
    queue.start('a', noop);
    jest.advanceTimersByTime(30);
    const b = queue.start('b', noop);
    jest.advanceTimersByTime(30);
    queue.start('c', noop);
    jest.advanceTimersByTime(40);
    expect(expired).toEqual(['a']);
    queue.settle(b);
    jest.advanceTimersByTime(30);
    expect(expired).toEqual(['a']);
    jest.advanceTimersByTime(30);
    expect(expired).toEqual(['a', 'c']);
  });

  it('arms one timer for many calls in flight, not one per call', () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const { queue } = queueOf(100);
    const calls: PendingDeadline[] = [];
    for (let n = 0; n < 50; n++) calls.push(queue.start(`call ${n}`, noop));
    for (const call of calls) queue.settle(call);
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
  });

  it('does not keep the process alive once every call has settled', () => {
    const { queue } = queueOf(100);
    const call = queue.start('reading consents', noop);
    expect(queue.holdsProcess()).toBe(true);
    queue.settle(call);
    expect(queue.holdsProcess()).toBe(false);
    queue.start('reading consents', noop);
    expect(queue.holdsProcess()).toBe(true);
  });

  it('passes the call its own reject function when it expires', () => {
    const rejected: unknown[] = [];
    const queue = new DeadlineQueue(10, (call) => call.reject(new Error(`${call.what} late`)));
    queue.start('x', (error) => rejected.push(error));
    jest.advanceTimersByTime(10);
    expect(rejected).toEqual([new Error('x late')]);
  });
});
