import { useCallback, useEffect, useRef, useState } from "react";
import { Channel } from "@tauri-apps/api/core";
import { commands, unwrap } from "../../lib/api";
import type { TransferProgress } from "../../lib/types";
import { nextJobId } from "./logic";

export type JobState = {
  /** A run is going on. */
  running: boolean;
  /** The last progress report of the run (null before the first one). */
  progress: TransferProgress | null;
  /** Cancel was asked for and the backend has not answered yet. */
  cancelling: boolean;
};

/**
 * Runs one long command at a time with a progress channel and a job number the
 * backend can cancel. `start` hands the job number and the channel to the call.
 */
export function useTransferJob() {
  const [state, setState] = useState<JobState>({ running: false, progress: null, cancelling: false });
  const job = useRef<number | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      // Leaving the screen stops what it started.
      if (job.current !== null) void commands.cancelTransfer(job.current).catch(() => undefined);
    };
  }, []);

  const start = useCallback(async <T,>(call: (job: number, channel: Channel<TransferProgress>) => Promise<T>): Promise<T> => {
    const id = nextJobId();
    job.current = id;
    const channel = new Channel<TransferProgress>();
    channel.onmessage = (progress) => {
      if (mounted.current && job.current === id) setState((s) => ({ ...s, progress }));
    };
    setState({ running: true, progress: null, cancelling: false });
    try {
      return await call(id, channel);
    } finally {
      if (job.current === id) job.current = null;
      if (mounted.current) setState({ running: false, progress: null, cancelling: false });
    }
  }, []);

  const cancel = useCallback(() => {
    const id = job.current;
    if (id === null) return;
    setState((s) => ({ ...s, cancelling: true }));
    void unwrap(commands.cancelTransfer(id)).catch(() => undefined);
  }, []);

  return { ...state, start, cancel };
}
