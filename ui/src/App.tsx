import { useState } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { Shell } from "./app/Shell";
import { SettingsProvider } from "./app/settings";
import { createQueryClient } from "./app/queryClient";
import { ToastProvider } from "./components/Toast";
import { SessionGate } from "./features/session/SessionGate";

export default function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SettingsProvider>
        <ToastProvider>
          <SessionGate>
            <Shell />
          </SessionGate>
        </ToastProvider>
      </SettingsProvider>
    </QueryClientProvider>
  );
}
