import type { Lang } from "./format";

/** The title of a bilingual item (system list value, stage, custom field) in the language, falling back to the other. */
export function localTitle(item: { titleFa: string; titleEn: string }, lang: Lang): string {
  return (lang === "fa" ? item.titleFa : item.titleEn) || item.titleFa || item.titleEn;
}

/** The name of a bilingual named item (a pipeline) in the language, falling back to the other. */
export function localName(item: { nameFa: string; nameEn: string }, lang: Lang): string {
  return (lang === "fa" ? item.nameFa : item.nameEn) || item.nameFa || item.nameEn;
}
