/**
 * Runs tasks one at a time per key, in the order they were submitted; different keys run
 * concurrently. `handle` uses it per sender: transports deliver messages concurrently (the WeCom
 * callback answers before handling, Wechaty emits every message at once), and two messages of one
 * contact processed side by side would each read the draft before the other saved it — one
 * message's values would be lost. A failed task does not block the next one.
 */
export function createPerKeyQueue(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, task) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
