export type SectionId = "identities" | "opportunities" | "reports" | "settings";

export const SECTIONS: readonly SectionId[] = ["identities", "opportunities", "reports", "settings"];
