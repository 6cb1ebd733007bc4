import { useTranslation } from "react-i18next";
import { navigate, paths } from "../../app/router";
import { Button } from "../../components/Button";
import { IconPlus } from "../../components/icons";
import { NEW_RECORD_KINDS } from "./formModel";

/** "New receipt", "New payment", … on a Records tab (identity or opportunity). */
export function NewRecordButtons({ identityId, opportunityId = null }: { identityId: number; opportunityId?: number | null }) {
  const { t } = useTranslation("financial");
  return (
    <>
      {NEW_RECORD_KINDS.map((kind) => (
        <Button key={kind} icon={<IconPlus />} data-testid={`new-${kind}`} onClick={() => navigate(paths.newRecord({ kind, identityId, opportunityId }))}>
          {t(`newKind.${kind}`)}
        </Button>
      ))}
    </>
  );
}
