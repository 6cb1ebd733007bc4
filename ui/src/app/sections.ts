export type SectionId = "today" | "identities" | "opportunities" | "products" | "reports" | "settings";

export const SECTIONS: readonly SectionId[] = ["today", "identities", "opportunities", "products", "reports", "settings"];
