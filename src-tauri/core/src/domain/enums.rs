//! The closed vocabularies of the domain, stored as short strings.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Declares a string-backed enum with `as_str`, `parse` and the wire format.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// A person or an organization.
    IdentityKind { Person = "person", Organization = "organization" }
);
string_enum!(IdentityRole { Customer = "customer", Competitor = "competitor", Supplier = "supplier" });
string_enum!(PhoneKind { Phone = "phone", Mobile = "mobile", Fax = "fax" });
string_enum!(UserRole { Admin = "admin", Manager = "manager", Salesperson = "salesperson" });
string_enum!(
    /// Open stages carry the pipeline; won and lost close an opportunity.
    StageKind { Open = "open", Won = "won", Lost = "lost" }
);
string_enum!(
    /// The fixed, named system lists whose values the admin manages.
    SystemListKey {
        OpportunityType = "opportunity_type",
        Source = "source",
        WinReason = "win_reason",
        LossReason = "loss_reason",
        PurchaseProcess = "purchase_process",
        ProductUnit = "product_unit",
        PersonPrefix = "person_prefix",
    }
);
string_enum!(ProductKind { Product = "product", Service = "service" });
string_enum!(DiscountKind { Percent = "percent", Amount = "amount" });
string_enum!(
    FinancialKind {
        Proforma = "proforma",
        Invoice = "invoice",
        SalesReturn = "sales_return",
        Receipt = "receipt",
        Payment = "payment",
        Contract = "contract",
    }
);
string_enum!(
    /// Every kind of record an identity's Records tab lists.
    RecordKind {
        Opportunity = "opportunity",
        Proforma = "proforma",
        Invoice = "invoice",
        SalesReturn = "sales_return",
        Receipt = "receipt",
        Payment = "payment",
        Contract = "contract",
    }
);
string_enum!(RecordStatus { Draft = "draft", Approved = "approved" });
string_enum!(PaymentMethod { Cash = "cash", Card = "card", BankTransfer = "bank_transfer", Cheque = "cheque" });
string_enum!(ContractKind { Financial = "financial", Legal = "legal" });
string_enum!(
    CustomFieldType {
        Text = "text",
        MultilineText = "multiline_text",
        Number = "number",
        Money = "money",
        Date = "date",
        YesNo = "yes_no",
        Choice = "choice",
        User = "user",
        Identity = "identity",
    }
);
string_enum!(CustomFieldEntity { Opportunity = "opportunity", Identity = "identity" });
string_enum!(ChangeAction { Create = "create", Update = "update", Delete = "delete" });
string_enum!(Language { Fa = "fa", En = "en" });
string_enum!(Calendar { Jalali = "jalali", Gregorian = "gregorian" });

impl FinancialKind {
    /// The sign a record of this kind gives the customer's balance when approved:
    /// +1 debits the customer (they owe), −1 credits them, 0 does not count.
    pub fn balance_sign(self, contract_kind: Option<ContractKind>) -> i32 {
        match self {
            FinancialKind::Invoice | FinancialKind::Payment => 1,
            FinancialKind::Contract => match contract_kind {
                Some(ContractKind::Financial) => 1,
                _ => 0,
            },
            FinancialKind::Receipt | FinancialKind::SalesReturn => -1,
            FinancialKind::Proforma => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_variant() {
        for k in SystemListKey::ALL {
            assert_eq!(SystemListKey::parse(k.as_str()), Some(*k));
        }
        assert_eq!(StageKind::parse("won"), Some(StageKind::Won));
        assert_eq!(StageKind::parse("Won"), None);
    }

    #[test]
    fn balance_signs_follow_the_spec() {
        assert_eq!(FinancialKind::Invoice.balance_sign(None), 1);
        assert_eq!(FinancialKind::Payment.balance_sign(None), 1);
        assert_eq!(FinancialKind::Contract.balance_sign(Some(ContractKind::Financial)), 1);
        assert_eq!(FinancialKind::Contract.balance_sign(Some(ContractKind::Legal)), 0);
        assert_eq!(FinancialKind::Receipt.balance_sign(None), -1);
        assert_eq!(FinancialKind::SalesReturn.balance_sign(None), -1);
        assert_eq!(FinancialKind::Proforma.balance_sign(None), 0);
    }
}
string_enum!(
    /// What an activity is: a follow-up task, a phone call, a meeting, or a note of
    /// something that happened.
    ActivityKind { Task = "task", Call = "call", Meeting = "meeting", Note = "note" }
);
string_enum!(ActivityStatus { Planned = "planned", Done = "done", Cancelled = "cancelled" });
string_enum!(CallDirection { Incoming = "incoming", Outgoing = "outgoing" });
string_enum!(
    /// How a phone call went.
    CallResult {
        Reached = "reached",
        NoAnswer = "no_answer",
        Busy = "busy",
        Voicemail = "voicemail",
        WrongNumber = "wrong_number",
    }
);
string_enum!(
    /// The kinds of entries of a timeline.
    TimelineKind {
        Activity = "activity",
        Comment = "comment",
        Stage = "stage",
        Change = "change",
        Financial = "financial",
    }
);
