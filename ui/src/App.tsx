import { useState } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { Shell } from "./app/Shell";
import { SettingsProvider } from "./app/settings";
import { createQueryClient } from "./app/queryClient";
import { useMenuLanguage } from "./app/desktop/useDesktopMenu";
import { ToastProvider } from "./components/Toast";
import { SessionGate } from "./features/session/SessionGate";

export default function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SettingsProvider>
        <MenuLanguage />
        <ToastProvider>
          <SessionGate>
            <Shell />
          </SessionGate>
        </ToastProvider>
      </SettingsProvider>
    </QueryClientProvider>
  );
}

/** The native menu speaks the UI's language from the first screen on (the sign-in screen too). */
function MenuLanguage() {
  useMenuLanguage();
  return null;
}
