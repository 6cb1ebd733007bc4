import type { ButtonHTMLAttributes, ReactNode, Ref } from "react";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger";

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  size?: "sm" | "md";
  /** Shown before the text (icons are decorative and hidden from assistive tech). */
  icon?: ReactNode;
  /** Keyboard shortcut hint, e.g. "Ctrl+N" (visual only). */
  shortcut?: string;
  busy?: boolean;
  ref?: Ref<HTMLButtonElement>;
};

export function Button({
  variant = "secondary",
  size = "md",
  icon,
  shortcut,
  busy = false,
  className,
  children,
  type = "button",
  disabled,
  ...rest
}: ButtonProps) {
  const classes = ["btn", `btn--${variant}`, `btn--${size}`, busy ? "btn--busy" : "", className ?? ""]
    .filter(Boolean)
    .join(" ");
  return (
    <button
      type={type}
      className={classes}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      title={shortcut ? `${typeof children === "string" ? `${children} ` : ""}(${shortcut})` : undefined}
      {...rest}
    >
      {icon ? (
        <span className="btn__icon" aria-hidden="true">
          {icon}
        </span>
      ) : null}
      {children}
      {shortcut ? (
        <kbd className="btn__kbd" aria-hidden="true">
          {shortcut}
        </kbd>
      ) : null}
    </button>
  );
}
