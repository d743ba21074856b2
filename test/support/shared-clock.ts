/** A clock several processes share: `start` at real time `t0`, running `speed` times real time. */
export interface SharedClock {
  t0: number;
  start: number;
  speed: number;
}

export function sharedClock(c: SharedClock): { now(): Date; ms(): number } {
  const ms = () => c.start + (Date.now() - c.t0) * c.speed;
  return { now: () => new Date(ms()), ms };
}
