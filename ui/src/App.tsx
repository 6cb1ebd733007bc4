import { useState } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { Shell } from "./app/Shell";
import { SettingsProvider } from "./app/settings";
import { createQueryClient } from "./app/queryClient";
import { ToastProvider } from "./components/Toast";

export default function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SettingsProvider>
        <ToastProvider>
          <Shell />
        </ToastProvider>
      </SettingsProvider>
    </QueryClientProvider>
  );
}
