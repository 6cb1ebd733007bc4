import { QueryClient } from "@tanstack/react-query";
import { AppErrorException } from "../lib/api";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A desktop app talking to a local backend: no focus refetch storms,
        // and no retries for errors the backend answered on purpose.
        refetchOnWindowFocus: false,
        staleTime: 30_000,
        retry: (failureCount, error) => !(error instanceof AppErrorException) && failureCount < 1,
      },
      mutations: { retry: false },
    },
  });
}
