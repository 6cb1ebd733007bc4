// Coalescing a burst: a bulk edit or an import commits many changes at once, and the
// backend may announce them in several events. Everything that arrives within the
// window after the first one is handed over together, so each screen refetches once.

/** How long after the first event of a burst the batch is handed over. */
export const BATCH_MS = 150;

export type Batcher<T> = {
  push: (item: T) => void;
  /** Hands over what is waiting now (nothing when empty). */
  flush: () => void;
  /** Drops what is waiting; nothing is handed over after this. */
  cancel: () => void;
};

/** Collects items and calls `deliver` with all of them `delayMs` after the first one of a batch. */
export function createBatcher<T>(deliver: (items: T[]) => void, delayMs = BATCH_MS): Batcher<T> {
  let waiting: T[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let cancelled = false;

  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (waiting.length === 0 || cancelled) return;
    const items = waiting;
    waiting = [];
    deliver(items);
  };

  return {
    push: (item) => {
      if (cancelled) return;
      waiting.push(item);
      if (timer === null) timer = setTimeout(flush, delayMs);
    },
    flush,
    cancel: () => {
      cancelled = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      waiting = [];
    },
  };
}
