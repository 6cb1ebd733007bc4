import { useId, useState, type KeyboardEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { IdentityRole, IdentitySummary } from "../../lib/types";
import type { FieldControlProps } from "../../components/Field";
import { commands, unwrap } from "../../lib/api";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { identityKeys } from "./queries";
import "./identities.css";

const PICKER_PAGE_SIZE = 8;
const SEARCH_DEBOUNCE_MS = 250;

export type IdentityPickerProps = FieldControlProps & {
  /** Only identities with this role are offered (e.g. competitors). */
  role?: IdentityRole;
  /** The picked identity's name, shown while the user is not typing ("" when none). */
  selectedName: string;
  /** Called with the picked identity, or null when the box is cleared. */
  onPick: (identity: IdentitySummary | null) => void;
  /** Ids not to offer (already picked). */
  exclude?: readonly number[];
  /** Clear the box after a pick (for "add to a list" pickers). */
  clearOnPick?: boolean;
  placeholder?: string;
  testId?: string;
};

/** A search-as-you-type identity picker (ARIA combobox with a listbox). */
export function IdentityPicker({ role, selectedName, onPick, exclude = [], clearOnPick = false, placeholder, testId, ...control }: IdentityPickerProps) {
  const { t } = useTranslation("opportunity");
  const listId = useId();
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const search = useDebouncedValue((text ?? "").trim(), SEARCH_DEBOUNCE_MS);
  const query = { search: search === "" ? null : search, kind: null, role: role ?? null, page: 1, pageSize: PICKER_PAGE_SIZE };
  const results = useQuery({
    queryKey: identityKeys.list(query),
    queryFn: () => unwrap(commands.listIdentities(query)),
    enabled: open,
  });
  const options = (results.data?.items ?? []).filter((i) => !exclude.includes(i.id));

  const pick = (identity: IdentitySummary) => {
    onPick(identity);
    setText(clearOnPick ? "" : null);
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive((a) => Math.min(options.length - 1, a + 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === "Enter") {
      const option = options[active];
      if (open && option) {
        e.preventDefault();
        pick(option);
      }
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };

  const expanded = open && (options.length > 0 || results.isFetched);
  // Busy while the typed text has not been searched yet or its answer is on its way.
  const settling = (text ?? "").trim() !== search || results.isFetching;
  return (
    <div className="picker">
      <input
        {...control}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && options[active] ? `${listId}-${options[active].id}` : undefined}
        className="input text-auto"
        autoComplete="off"
        placeholder={placeholder ?? t("picker.placeholder")}
        data-testid={testId}
        value={text ?? selectedName}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
          if (e.target.value.trim() === "" && !clearOnPick) onPick(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          if (!clearOnPick) setText(null);
        }}
        onKeyDown={onKeyDown}
      />
      {expanded ? (
        <ul className="picker__list" role="listbox" id={listId} aria-busy={settling}>
          {options.length === 0 ? (
            <li className="picker__empty" role="presentation">
              {t("picker.noMatches")}
            </li>
          ) : (
            options.map((o, i) => (
              <li
                key={o.id}
                id={`${listId}-${o.id}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? "picker__option is-active" : "picker__option"}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(o);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <bdi>{o.displayName}</bdi>
              </li>
            ))
          )}
        </ul>
      ) : null}
    </div>
  );
}
