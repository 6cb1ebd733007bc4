import { useRef, type KeyboardEvent } from "react";

export type TabItem<T extends string> = {
  value: T;
  label: string;
  /** Keyboard shortcut hint ("Ctrl+1"); announced through aria-keyshortcuts. */
  shortcut?: string;
  disabled?: boolean;
  testId?: string;
};

export type TabsProps<T extends string> = {
  /** Accessible name of the tab list. */
  label: string;
  idPrefix: string;
  value: T;
  items: readonly TabItem<T>[];
  onChange: (value: T) => void;
};

/**
 * An accessible tab list (roving focus, arrow keys follow the reading direction,
 * Home/End). The panel is rendered by the caller with `tabPanelProps`.
 */
export function Tabs<T extends string>({ label, idPrefix, value, items, onChange }: TabsProps<T>) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const enabled = items.filter((i) => !i.disabled);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const rtl = getComputedStyle(e.currentTarget).direction === "rtl";
    const index = enabled.findIndex((i) => i.value === value);
    let next = -1;
    if (e.key === "ArrowRight") next = rtl ? index - 1 : index + 1;
    else if (e.key === "ArrowLeft") next = rtl ? index + 1 : index - 1;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = enabled.length - 1;
    else return;
    e.preventDefault();
    const item = enabled[(next + enabled.length) % enabled.length];
    if (!item) return;
    onChange(item.value);
    refs.current.get(item.value)?.focus();
  };

  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {items.map((item) => {
        const selected = item.value === value;
        return (
          <button
            key={item.value}
            ref={(el) => {
              if (el) refs.current.set(item.value, el);
              else refs.current.delete(item.value);
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${item.value}`}
            aria-selected={selected}
            aria-controls={`${idPrefix}-panel`}
            aria-keyshortcuts={item.shortcut?.replace("Ctrl", "Control")}
            tabIndex={selected ? 0 : -1}
            disabled={item.disabled}
            className={selected ? "tabs__tab is-active" : "tabs__tab"}
            onClick={() => onChange(item.value)}
            data-testid={item.testId}
            title={item.shortcut ? `${item.label} (${item.shortcut})` : undefined}
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}

/** Props for the element that holds the selected tab's content. */
export function tabPanelProps(idPrefix: string, value: string): { id: string; role: "tabpanel"; "aria-labelledby": string; className: string } {
  return { id: `${idPrefix}-panel`, role: "tabpanel", "aria-labelledby": `${idPrefix}-tab-${value}`, className: "tab-panel" };
}
