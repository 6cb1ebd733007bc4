import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BATCH_MS, createBatcher } from "./batch";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("createBatcher", () => {
  it("hands over a burst once, BATCH_MS after its first item", () => {
    const deliver = vi.fn();
    const batch = createBatcher<number>(deliver);
    batch.push(1);
    vi.advanceTimersByTime(60);
    batch.push(2);
    vi.advanceTimersByTime(60);
    batch.push(3);
    expect(deliver).not.toHaveBeenCalled();
    vi.advanceTimersByTime(BATCH_MS - 120);
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(deliver).toHaveBeenCalledWith([1, 2, 3]);

    // What comes later is the next batch.
    batch.push(4);
    vi.advanceTimersByTime(BATCH_MS);
    expect(deliver).toHaveBeenCalledTimes(2);
    expect(deliver).toHaveBeenLastCalledWith([4]);
    vi.advanceTimersByTime(1000);
    expect(deliver).toHaveBeenCalledTimes(2);
  });

  it("flushes on demand and hands over nothing when empty", () => {
    const deliver = vi.fn();
    const batch = createBatcher<string>(deliver, 50);
    batch.flush();
    expect(deliver).not.toHaveBeenCalled();
    batch.push("a");
    batch.flush();
    expect(deliver).toHaveBeenCalledWith(["a"]);
    vi.advanceTimersByTime(100);
    expect(deliver).toHaveBeenCalledTimes(1);
  });

  it("drops what waits once cancelled", () => {
    const deliver = vi.fn();
    const batch = createBatcher<number>(deliver);
    batch.push(1);
    batch.cancel();
    batch.push(2);
    vi.advanceTimersByTime(1000);
    batch.flush();
    expect(deliver).not.toHaveBeenCalled();
  });
});
