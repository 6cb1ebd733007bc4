import type { ReactNode } from "react";

export type NumberedSectionProps = {
  /** The heading's id; the help text takes `${id}-help`. */
  id: string;
  /** The field number badge (or null while numbers are hidden). */
  badge: ReactNode;
  title: string;
  /** The field's help, read with the section (visually hidden). */
  help: string;
  children: ReactNode;
};

/** A card of the opportunity form holding one numbered field: its number, title and help. */
export function NumberedSection({ id, badge, title, help, children }: NumberedSectionProps) {
  return (
    <section className="card form-card" aria-labelledby={id} aria-describedby={`${id}-help`}>
      <div className="field__head">
        {badge}
        <h2 className="form__section-title" id={id}>
          {title}
        </h2>
      </div>
      <p className="visually-hidden" id={`${id}-help`}>
        {help}
      </p>
      {children}
    </section>
  );
}
