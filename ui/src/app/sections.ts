export type SectionId = "identities" | "opportunities" | "products" | "reports" | "settings";

export const SECTIONS: readonly SectionId[] = ["identities", "opportunities", "products", "reports", "settings"];
