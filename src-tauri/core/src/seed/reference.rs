//! Reference data written on first start, in Persian and English: the default stages,
//! the system lists' default values, the admin user and the numbering templates.
//! Idempotent: every item is keyed, and an existing key is left as the admin edited it.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use crate::domain::{StageKind, SystemListKey, UserRole};
use crate::entity::{stages, system_items, users};
use crate::error::AppResult;
use crate::service::{now, numbering, settings};

pub const ADMIN_USERNAME: &str = "admin";

/// (key, fa, en, kind, default probability)
pub const STAGES: &[(&str, &str, &str, StageKind, Option<i32>)] = &[
    (
        "contact",
        "برقراری ارتباط",
        "Establishing contact",
        StageKind::Open,
        Some(10),
    ),
    (
        "needs_analysis",
        "نیازسنجی",
        "Needs analysis",
        StageKind::Open,
        Some(25),
    ),
    ("proposal", "ارائه پیشنهاد", "Proposal", StageKind::Open, Some(50)),
    ("negotiation", "مذاکره", "Negotiation", StageKind::Open, Some(75)),
    ("won", "موفق", "Won", StageKind::Won, None),
    ("lost", "ناموفق", "Lost", StageKind::Lost, None),
];

type Items = &'static [(&'static str, &'static str, &'static str)];

/// (list, [(key, fa, en)])
pub const LISTS: &[(SystemListKey, Items)] = &[
    (
        SystemListKey::OpportunityType,
        &[
            ("standard", "استاندارد", "Standard"),
            ("bulk_order", "سفارش عمده", "Bulk order"),
            ("delivery", "تحویل", "Delivery"),
            ("special_order", "سفارش ویژه", "Special order"),
        ],
    ),
    (
        SystemListKey::Source,
        &[
            ("phone_call", "تماس تلفنی", "Phone call"),
            ("advertising", "تبلیغات", "Advertising"),
            ("exhibition", "نمایشگاه", "Exhibition"),
            ("referral", "معرفی همکار یا دوستان", "Referral by a colleague or friend"),
            ("website", "وب‌سایت", "Website"),
            ("phone_marketing", "بازاریابی تلفنی", "Phone marketing"),
            ("social_media", "شبکه‌های اجتماعی", "Social media"),
        ],
    ),
    (
        SystemListKey::WinReason,
        &[
            ("better_price", "قیمت مناسب‌تر", "Better price"),
            ("quality", "کیفیت محصول", "Product quality"),
            ("relationship", "ارتباط خوب با مشتری", "Good relationship"),
            ("fast_delivery", "تحویل سریع", "Fast delivery"),
            ("after_sales", "خدمات پس از فروش", "After-sales service"),
        ],
    ),
    (
        SystemListKey::LossReason,
        &[
            ("price_too_high", "قیمت بالا", "Price too high"),
            ("chose_competitor", "انتخاب رقیب", "Chose a competitor"),
            ("no_budget", "نبود بودجه", "No budget"),
            ("no_response", "عدم پاسخگویی مشتری", "Customer stopped responding"),
            ("delivery_time", "زمان تحویل طولانی", "Delivery time too long"),
            ("cancelled", "لغو پروژه", "Project cancelled"),
        ],
    ),
    (
        SystemListKey::PurchaseProcess,
        &[
            ("individual", "تصمیم فردی", "Individual decision"),
            ("group", "تصمیم گروهی", "Group decision"),
        ],
    ),
    (
        SystemListKey::ProductUnit,
        &[
            ("piece", "عدد", "Piece"),
            ("box", "جعبه", "Box"),
            ("kg", "کیلوگرم", "Kilogram"),
            ("meter", "متر", "Meter"),
            ("hour", "ساعت", "Hour"),
            ("license", "لایسنس", "License"),
            ("device", "دستگاه", "Unit"),
        ],
    ),
    (
        SystemListKey::PersonPrefix,
        &[
            ("mr", "آقای", "Mr."),
            ("ms", "خانم", "Ms."),
            ("dr", "دکتر", "Dr."),
            ("eng", "مهندس", "Eng."),
        ],
    ),
];

/// Adds what every database needs and lacks (the administrator, stages, system lists,
/// numbering), and brings derived data up to date (name keys, report totals).
pub async fn ensure<C: ConnectionTrait + TransactionTrait>(db: &C) -> AppResult<()> {
    if users::Entity::find()
        .filter(users::Column::Username.eq(ADMIN_USERNAME))
        .count(db)
        .await?
        == 0
    {
        users::ActiveModel {
            username: Set(ADMIN_USERNAME.into()),
            display_name: Set("مدیر سیستم".into()),
            role: Set(UserRole::Admin.as_str().into()),
            active: Set(true),
            created_at: Set(now()),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    for (order, (key, fa, en, kind, prob)) in STAGES.iter().enumerate() {
        if stages::Entity::find()
            .filter(stages::Column::Key.eq(*key))
            .count(db)
            .await?
            == 0
        {
            stages::ActiveModel {
                key: Set((*key).into()),
                title_fa: Set((*fa).into()),
                title_en: Set((*en).into()),
                kind: Set(kind.as_str().into()),
                sort_order: Set(order as i32 + 1),
                active: Set(true),
                default_probability: Set(*prob),
                deleted: Set(false),
                version: Set(1),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    for (list, items) in LISTS {
        for (order, (key, fa, en)) in items.iter().enumerate() {
            let exists = system_items::Entity::find()
                .filter(system_items::Column::ListKey.eq(list.as_str()))
                .filter(system_items::Column::Key.eq(*key))
                .count(db)
                .await?
                > 0;
            if !exists {
                system_items::ActiveModel {
                    list_key: Set(list.as_str().into()),
                    key: Set(Some((*key).into())),
                    title_fa: Set((*fa).into()),
                    title_en: Set((*en).into()),
                    sort_order: Set(order as i32 + 1),
                    active: Set(true),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    for (kind, template) in numbering::TEMPLATES {
        let key = format!("numbering.{kind}");
        if settings::get_raw(db, &key).await?.is_none() {
            settings::put(db, &key, template).await?;
        }
    }
    crate::service::identities::fill_name_keys(db).await?;
    // The report totals of the configured zone (a new database, an older file).
    crate::service::totals::ensure(db, &settings::clock(db).await?).await?;
    Ok(())
}
