// The native menu: its words follow the UI's language (from the first screen on, the
// sign-in screen included), and its items act in the signed-in window (menuActions).

import { useEffect, useEffectEvent } from "react";
import { useTranslation } from "react-i18next";
import { useToast } from "../../components/Toast";
import { commands, describeError, unwrap } from "../../lib/api";
import { onMenuChosen } from "../live/events";
import { navigate, useRoute } from "../router";
import { useAppSettings } from "../settings";
import { menuOutcome } from "./menuActions";

/** Tells the backend the UI's language whenever it is known or changes (the menu is redrawn in it). */
export function useMenuLanguage(): void {
  const { language } = useAppSettings();
  useEffect(() => {
    unwrap(commands.setMenuLanguage(language)).catch((error: unknown) => {
      // Not in the desktop app (a browser), or the menu could not be redrawn: it keeps its words.
      console.warn("The menu's language was not changed:", error);
    });
  }, [language]);
}

/** Acts on the native menu's items; mounted once in the signed-in app (the Shell). */
export function useDesktopMenu(isAdmin: boolean): void {
  const { t } = useTranslation();
  const toast = useToast();
  const route = useRoute();

  const act = useEffectEvent((action: Parameters<typeof menuOutcome>[0]) => {
    const outcome = menuOutcome(action, { isAdmin, route });
    switch (outcome.type) {
      case "navigate":
        navigate(outcome.hash);
        return;
      case "openFolder":
        unwrap(commands.openFolder(outcome.folder)).catch((error: unknown) => toast.show(describeError(error, t), "error"));
        return;
      case "message":
        toast.show(t(`desktop.${outcome.message}`), "info");
        return;
    }
  });

  useEffect(() => onMenuChosen((action) => act(action)), []);
}
