/** Background work started by a request after its response went out; shutdown waits for it. */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  track(p: Promise<unknown>): void {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when everything tracked so far has settled, or after `timeoutMs` (false then). */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    try {
      while (this.pending.size > 0) {
        const done = await Promise.race([Promise.all([...this.pending]).then(() => true as const), timeout]);
        if (!done) return false;
      }
      return true;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
