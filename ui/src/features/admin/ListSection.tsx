// One administration section: its heading with the Add button (and any chooser
// beside it), the list in plain-words loading / error / empty states, and the
// dialogs the list opens.

import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { EmptyState, Loading } from "../../components/States";
import { useDescribeAdminError } from "./common";

export type ListSectionProps = {
  /** Id of what names the section: the hidden heading below (`heading`) or the table's caption. */
  labelledBy: string;
  title: string;
  description: string;
  addLabel: string;
  /** Without it there is no Add button (the user may only look). */
  onAdd?: () => void;
  /** Shown before the Add button (which list, which kind of record). */
  controls?: ReactNode;
  /** Shown under the heading whatever the list's state (a rule the screen explains). */
  note?: ReactNode;
  /** A hidden heading naming what is listed; it takes the `labelledBy` id. */
  heading?: ReactNode;
  /** The list's query: loading, error and Retry, and empty when it has no rows. */
  list: { isPending: boolean; error: unknown; data?: readonly unknown[]; refetch: () => Promise<unknown> };
  emptyTitle: string;
  emptyBody?: string;
  errorTitle: string;
  /** The list itself, shown once there are rows. */
  children: ReactNode;
  /** Dialogs opened from the list. */
  dialogs?: ReactNode;
};

export function ListSection({ labelledBy, title, description, addLabel, onAdd, controls, note, heading, list, emptyTitle, emptyBody, errorTitle, children, dialogs }: ListSectionProps) {
  return (
    <section className="admin-section" aria-labelledby={labelledBy}>
      <header className="admin-section__header">
        <div>
          <h2 className="admin-section__title">{title}</h2>
          <p className="page__subtitle">{description}</p>
        </div>
        <div className="admin-section__actions">
          {controls}
          {onAdd ? (
            <Button variant="primary" onClick={onAdd} data-testid="admin-add">
              {addLabel}
            </Button>
          ) : null}
        </div>
      </header>
      {note}
      {heading !== undefined ? (
        <h3 id={labelledBy} className="visually-hidden">
          {heading}
        </h3>
      ) : null}
      <ListState list={list} emptyTitle={emptyTitle} emptyBody={emptyBody} errorTitle={errorTitle}>
        {children}
      </ListState>
      {dialogs}
    </section>
  );
}

/** Loading / error / empty, in plain words; renders `children` when there is something to show. */
function ListState({ list, emptyTitle, emptyBody, errorTitle, children }: Pick<ListSectionProps, "list" | "emptyTitle" | "emptyBody" | "errorTitle" | "children">) {
  const describe = useDescribeAdminError();
  const { t: tc } = useTranslation("common");
  if (list.isPending) return <Loading />;
  if (list.error) {
    return (
      <div className="state state--error" role="alert">
        <h3 className="state__title">{errorTitle}</h3>
        <p className="state__body">{describe(list.error)}</p>
        <div className="state__action">
          <Button onClick={() => void list.refetch()}>{tc("actions.retry")}</Button>
        </div>
      </div>
    );
  }
  if ((list.data ?? []).length === 0) return <EmptyState title={emptyTitle} body={emptyBody} />;
  return <>{children}</>;
}
