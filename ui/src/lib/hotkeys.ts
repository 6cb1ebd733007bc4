import { useEffect, useRef } from "react";

export type Hotkey = {
  /** KeyboardEvent.key, compared case-insensitively ("n", "f", "/"). */
  key: string;
  ctrl?: boolean;
  /** When set, Shift must be held (true) or must not be (false); by default Shift is ignored. */
  shift?: boolean;
  /** Also fire while the user is typing in a text field (default: only with ctrl). */
  inInputs?: boolean;
  handler: (e: KeyboardEvent) => void;
};

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Window-level shortcuts for a screen. Ctrl also matches ⌘ on macOS.
 * Skipped while a modal dialog is open, so the dialog owns the keyboard.
 */
export function useHotkeys(hotkeys: Hotkey[]): void {
  const ref = useRef(hotkeys);
  useEffect(() => {
    ref.current = hotkeys;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || document.querySelector('[aria-modal="true"]')) return;
      for (const h of ref.current) {
        const ctrl = e.ctrlKey || e.metaKey;
        if (!!h.ctrl !== ctrl || e.altKey) continue;
        if (h.shift !== undefined && h.shift !== e.shiftKey) continue;
        // With a Persian keyboard layout e.key is a Persian letter; fall back to the physical key.
        const key = e.key.toLowerCase();
        const code = e.code ?? "";
        const physical = code.startsWith("Key")
          ? code.slice(3).toLowerCase()
          : code.startsWith("Digit")
            ? code.slice(5)
            : code === "Slash"
              ? "/"
              : "";
        if (key !== h.key && physical !== h.key) continue;
        if (!h.ctrl && !h.inInputs && isTyping(e.target)) continue;
        e.preventDefault();
        h.handler(e);
        return;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
