// Names and other text users type may be Latin inside a Persian sentence (or the
// other way round). Shown on their own they go in a <bdi> element; inside a message
// string (a toast, an option of a select) they are wrapped in isolate marks, so that
// "Pars Office Co." keeps its full stop where it belongs in right-to-left text.

const FIRST_STRONG_ISOLATE = "\u2068";
const POP_DIRECTIONAL_ISOLATE = "\u2069";

/** `text` direction-isolated for use inside a longer string. */
export function isolate(text: string): string {
  return `${FIRST_STRONG_ISOLATE}${text}${POP_DIRECTIONAL_ISOLATE}`;
}
