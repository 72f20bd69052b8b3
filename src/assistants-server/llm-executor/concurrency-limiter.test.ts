import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from './concurrency-limiter';

const never = new AbortController().signal;

describe('ConcurrencyLimiter', () => {
  it('lets `limit` through, queues the rest in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const order: string[] = [];
    const first = await limiter.acquire(never);
    const second = await limiter.acquire(never);
    const third = limiter.acquire(never).then((release) => (order.push('third'), release));
    const fourth = limiter.acquire(never).then((release) => (order.push('fourth'), release));
    expect([limiter.active, limiter.queued]).toEqual([2, 2]);
    first();
    first(); // a second release of the same slot changes nothing
    (await third)();
    second();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
    expect([limiter.active, limiter.queued]).toEqual([1, 0]);
  });

  it('drops a waiter whose run is cancelled without taking its slot', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const held = await limiter.acquire(never);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    expect(limiter.queued).toBe(0);
    held();
    expect(limiter.active).toBe(0);
  });
});
