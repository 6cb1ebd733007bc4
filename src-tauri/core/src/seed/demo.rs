//! Demo data: a believable Persian company (an office-equipment and software
//! distributor in Tehran) with customers, products, campaigns, opportunities over
//! every stage, and a few invoices and receipts. Loaded on request (`--demo`); loading
//! it twice does not duplicate it. Deterministic: the same data every time.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
};

use super::reference;
use crate::clock::Clock;
use crate::domain::{
    CustomFieldEntity, CustomFieldType, DiscountKind, FinancialKind, PaymentMethod, PhoneKind, ProductKind,
    RecordStatus, StageKind, SystemListKey, UserRole,
};
use crate::entity::{
    activities, campaigns, comments, custom_field_values, custom_fields, financial_lines, financial_records,
    opportunities, opportunity_competitors, opportunity_lines, product_categories, products, stage_history, stages,
    system_items, users, Fixed4,
};
use crate::error::AppResult;
use crate::service::identities::{self, AddressInput, EmailInput, IdentityInput, PhoneInput};
use crate::service::teams::{self, TeamInput};
use crate::service::{now, numbering, settings, Actor};

const FLAG: &str = "demo_loaded";

/// The password of every demo user (the sign-in screen of a demo shows it).
pub const DEMO_PASSWORD: &str = "forsat-demo";

/// Whether this database holds the demo company.
pub async fn is_loaded<C: ConnectionTrait>(db: &C) -> AppResult<bool> {
    Ok(settings::get_raw(db, FLAG).await?.is_some())
}

/// Gives the demo's users (the administrator included) the demo password where they
/// have none, so a demo opened by an older version can be signed in to as well.
async fn ensure_demo_passwords<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return Ok(());
    }
    let without = users::Entity::find()
        .filter(users::Column::PasswordHash.is_null())
        .all(db)
        .await?;
    if without.is_empty() {
        return Ok(());
    }
    // One salted hash serves them all: the same password, checked the same way.
    let hash = crate::service::auth::hash_password(DEMO_PASSWORD)?;
    users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, sea_orm::sea_query::Expr::value(Some(hash)))
        .filter(users::Column::PasswordHash.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A small deterministic generator (xorshift), so the demo is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "علی",
    "محمد",
    "رضا",
    "حسین",
    "مهدی",
    "امیر",
    "سارا",
    "مریم",
    "زهرا",
    "نرگس",
    "فاطمه",
    "الهام",
    "حمید",
    "کاوه",
    "نیلوفر",
    "شیرین",
    "بهرام",
    "پریسا",
];
const LAST: &[&str] = &[
    "محمدی",
    "حسینی",
    "رضایی",
    "احمدی",
    "کریمی",
    "موسوی",
    "جعفری",
    "صادقی",
    "رحیمی",
    "تهرانی",
    "کاظمی",
    "شریفی",
    "نوری",
    "قاسمی",
    "اکبری",
    "یزدانی",
];
const ORGS: &[&str] = &[
    "شرکت فولاد پارس",
    "گروه صنعتی سپهر",
    "بیمارستان آتیه",
    "دانشگاه صنعتی نوین",
    "شرکت پخش البرز",
    "هلدینگ ساختمانی آرمان",
    "بانک توسعه صادرات - شعبه ونک",
    "شرکت داروسازی زاگرس",
    "کارخانه کاشی میبد",
    "آژانس مسافرتی پرواز",
    "شرکت حمل‌ونقل کیان",
    "مدرسه غیرانتفاعی فرهنگ",
    "شهرداری منطقه ۳",
    "شرکت نرم‌افزاری رایان",
    "رستوران‌های زنجیره‌ای سفره",
    "هتل پارسیان",
    "شرکت بیمه آسیا - نمایندگی ۱۲",
    "گروه خودروسازی آریا",
];
const COMPETITORS: &[&str] = &["شرکت همکاران سیستم", "گروه فناوری داده‌پرداز", "شرکت تجهیزات اداری آسا"];
const CITIES: &[&str] = &["تهران", "اصفهان", "شیراز", "مشهد", "تبریز", "کرج", "یزد", "رشت"];
const STREETS: &[&str] = &[
    "خیابان ولیعصر",
    "خیابان شریعتی",
    "بلوار کشاورز",
    "خیابان آزادی",
    "خیابان مطهری",
    "بزرگراه چمران",
];

/// (category, [(code, name, kind, unit key, price in rials)])
type Catalog = &'static [(&'static str, &'static str, ProductKind, &'static str, i64)];
const CATALOG: &[(&str, Catalog)] = &[
    (
        "رایانه و لپ‌تاپ",
        &[
            (
                "PC-100",
                "لپ‌تاپ ایسوس ویووبوک ۱۵",
                ProductKind::Product,
                "device",
                420_000_000,
            ),
            (
                "PC-101",
                "لپ‌تاپ لنوو تینک‌پد E14",
                ProductKind::Product,
                "device",
                610_000_000,
            ),
            (
                "PC-102",
                "رایانه رومیزی اچ‌پی پرودسک",
                ProductKind::Product,
                "device",
                380_000_000,
            ),
            (
                "PC-103",
                "مانیتور سامسونگ ۲۴ اینچ",
                ProductKind::Product,
                "device",
                95_000_000,
            ),
            (
                "PC-104",
                "مانیتور ال‌جی ۲۷ اینچ",
                ProductKind::Product,
                "device",
                140_000_000,
            ),
            (
                "PC-105",
                "صفحه‌کلید و ماوس بی‌سیم",
                ProductKind::Product,
                "piece",
                4_800_000,
            ),
            (
                "PC-106",
                "هارد اکسترنال ۲ ترابایت",
                ProductKind::Product,
                "piece",
                32_000_000,
            ),
            (
                "PC-107",
                "حافظه رم ۱۶ گیگابایت",
                ProductKind::Product,
                "piece",
                18_500_000,
            ),
        ],
    ),
    (
        "چاپگر و ماشین اداری",
        &[
            (
                "PR-200",
                "چاپگر لیزری اچ‌پی M404",
                ProductKind::Product,
                "device",
                165_000_000,
            ),
            (
                "PR-201",
                "چاپگر چندکاره کانن MF445",
                ProductKind::Product,
                "device",
                230_000_000,
            ),
            (
                "PR-202",
                "دستگاه کپی شارپ MX",
                ProductKind::Product,
                "device",
                890_000_000,
            ),
            (
                "PR-203",
                "اسکنر اپسون DS-530",
                ProductKind::Product,
                "device",
                175_000_000,
            ),
            ("PR-204", "کارتریج تونر ۲۶A", ProductKind::Product, "piece", 7_900_000),
            (
                "PR-205",
                "کاغذ A4 (کارتن ۵ بسته)",
                ProductKind::Product,
                "box",
                6_400_000,
            ),
            (
                "PR-206",
                "دستگاه حضور و غیاب",
                ProductKind::Product,
                "device",
                48_000_000,
            ),
            ("PR-207", "کاغذخردکن اداری", ProductKind::Product, "device", 36_000_000),
        ],
    ),
    (
        "شبکه و ارتباطات",
        &[
            (
                "NW-300",
                "سوئیچ سیسکو ۲۴ پورت",
                ProductKind::Product,
                "device",
                310_000_000,
            ),
            (
                "NW-301",
                "روتر میکروتیک RB4011",
                ProductKind::Product,
                "device",
                98_000_000,
            ),
            (
                "NW-302",
                "اکسس‌پوینت یوبیکیوتی",
                ProductKind::Product,
                "device",
                42_000_000,
            ),
            (
                "NW-303",
                "کابل شبکه Cat6 (حلقه ۳۰۵ متری)",
                ProductKind::Product,
                "box",
                26_000_000,
            ),
            (
                "NW-304",
                "رک ایستاده ۲۷ یونیت",
                ProductKind::Product,
                "device",
                75_000_000,
            ),
            (
                "NW-305",
                "تلفن تحت شبکه گرنداستریم",
                ProductKind::Product,
                "device",
                14_500_000,
            ),
            (
                "NW-306",
                "فایروال فورتی‌گیت 60F",
                ProductKind::Product,
                "device",
                520_000_000,
            ),
            (
                "NW-307",
                "یو‌پی‌اس ۳ کیلوولت‌آمپر",
                ProductKind::Product,
                "device",
                145_000_000,
            ),
        ],
    ),
    (
        "نرم‌افزار",
        &[
            (
                "SW-400",
                "لایسنس ویندوز ۱۱ پرو",
                ProductKind::Product,
                "license",
                12_000_000,
            ),
            ("SW-401", "لایسنس آفیس ۲۰۲۴", ProductKind::Product, "license", 19_000_000),
            (
                "SW-402",
                "آنتی‌ویروس سازمانی (۱۰ کاربر)",
                ProductKind::Product,
                "license",
                28_000_000,
            ),
            (
                "SW-403",
                "نرم‌افزار حسابداری (نسخه شبکه)",
                ProductKind::Product,
                "license",
                150_000_000,
            ),
            (
                "SW-404",
                "نرم‌افزار اتوماسیون اداری",
                ProductKind::Product,
                "license",
                260_000_000,
            ),
            (
                "SW-405",
                "نرم‌افزار انبارداری",
                ProductKind::Product,
                "license",
                95_000_000,
            ),
            (
                "SW-406",
                "ماژول حقوق و دستمزد",
                ProductKind::Product,
                "license",
                70_000_000,
            ),
            (
                "SW-407",
                "پشتیبان‌گیری ابری (یک‌ساله)",
                ProductKind::Service,
                "license",
                22_000_000,
            ),
        ],
    ),
    (
        "خدمات و پشتیبانی",
        &[
            (
                "SV-500",
                "نصب و راه‌اندازی شبکه",
                ProductKind::Service,
                "hour",
                2_500_000,
            ),
            (
                "SV-501",
                "قرارداد پشتیبانی سالانه",
                ProductKind::Service,
                "piece",
                180_000_000,
            ),
            (
                "SV-502",
                "آموزش کاربران (روزانه)",
                ProductKind::Service,
                "piece",
                35_000_000,
            ),
            (
                "SV-503",
                "مشاوره فناوری اطلاعات",
                ProductKind::Service,
                "hour",
                3_500_000,
            ),
            (
                "SV-504",
                "تعمیر و سرویس چاپگر",
                ProductKind::Service,
                "piece",
                4_500_000,
            ),
            ("SV-505", "مهاجرت داده‌ها", ProductKind::Service, "hour", 4_000_000),
            (
                "SV-506",
                "ضمانت تمدیدی یک‌ساله",
                ProductKind::Service,
                "piece",
                25_000_000,
            ),
            (
                "SV-507",
                "اعزام کارشناس در محل",
                ProductKind::Service,
                "hour",
                3_000_000,
            ),
        ],
    ),
];

const TITLES: &[&str] = &[
    "تجهیز اتاق سرور",
    "خرید لپ‌تاپ کارکنان",
    "نوسازی چاپگرهای طبقه دوم",
    "راه‌اندازی شبکه شعبه جدید",
    "لایسنس نرم‌افزارهای اداری",
    "قرارداد پشتیبانی سال آینده",
    "سیستم حضور و غیاب",
    "ارتقای فایروال",
    "تجهیز سالن آموزش",
    "اتوماسیون اداری",
    "خرید مانیتور واحد طراحی",
    "پشتیبان‌گیری ابری",
    "تجهیز دفتر مرکزی",
    "نرم‌افزار حسابداری",
    "کابل‌کشی ساختمان جدید",
];

/// The demo company's zone: its dates are Tehran dates, and loading the demo sets it
/// as the app's time zone when none is configured.
const ZONE: chrono_tz::Tz = chrono_tz::Asia::Tehran;

fn clock() -> Clock {
    Clock::new(ZONE)
}

fn date(days_ago: i64) -> NaiveDate {
    clock().date_of(now() - Duration::days(days_ago))
}

async fn item_ids<C: ConnectionTrait>(db: &C, list: SystemListKey) -> AppResult<Vec<(i32, Option<String>)>> {
    Ok(system_items::Entity::find()
        .filter(system_items::Column::ListKey.eq(list.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.key))
        .collect())
}

/// Loads the demo company unless it is already there. Returns whether it loaded.
pub async fn load<C: ConnectionTrait + TransactionTrait>(db: &C) -> AppResult<bool> {
    reference::ensure(db).await?;
    if settings::get_raw(db, FLAG).await?.is_some() {
        ensure_demo_passwords(db).await?;
        return Ok(false);
    }
    let txn = db.begin().await?;
    if settings::get_raw(&txn, "time_zone").await?.is_none() {
        settings::put(&txn, "time_zone", ZONE.name()).await?;
    }
    let mut rng = Rng(0x005E_EDF0_A5A7_u64);
    let at = now();
    let admin = users::Entity::find()
        .filter(users::Column::Username.eq(reference::ADMIN_USERNAME))
        .one(&txn)
        .await?
        .map(|u| u.id)
        .unwrap_or(1);
    let admin_actor = Actor {
        user_id: admin,
        role: UserRole::Admin,
    };

    // Users: a sales manager and four salespeople (one inactive).
    let mut sellers = vec![];
    for (username, name, role, active) in [
        ("s.karimi", "سارا کریمی", UserRole::Manager, true),
        ("a.rezaei", "علی رضایی", UserRole::Salesperson, true),
        ("m.hosseini", "مریم حسینی", UserRole::Salesperson, true),
        ("k.tehrani", "کاوه تهرانی", UserRole::Salesperson, true),
        ("p.nouri", "پریسا نوری", UserRole::Salesperson, false),
    ] {
        let existing = users::Entity::find()
            .filter(users::Column::Username.eq(username))
            .one(&txn)
            .await?;
        let id = match existing {
            Some(u) => u.id,
            None => {
                users::ActiveModel {
                    username: Set(username.into()),
                    display_name: Set(name.into()),
                    role: Set(role.as_str().into()),
                    active: Set(active),
                    created_at: Set(at),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        sellers.push(id);
    }

    // The organisation: Sara Karimi leads the Tehran sales team, with the key-accounts
    // team inside it (so she oversees all four salespeople).
    let tehran = teams::create(
        &txn,
        &admin_actor,
        TeamInput {
            name: "فروش تهران".into(),
            manager_user_id: Some(sellers[0]),
            parent_id: None,
            member_ids: vec![sellers[1], sellers[2]],
        },
    )
    .await?;
    teams::create(
        &txn,
        &admin_actor,
        TeamInput {
            name: "مشتریان کلیدی".into(),
            manager_user_id: None,
            parent_id: Some(tehran.id),
            member_ids: vec![sellers[3], sellers[4]],
        },
    )
    .await?;

    // Campaigns.
    let mut campaign_ids = vec![];
    for (name, start, end, cost) in [
        ("نمایشگاه الکامپ ۱۴۰۵", 200, 190, 850_000_000i64),
        ("کمپین پیامکی بهار", 240, 200, 120_000_000),
        ("تبلیغات گوگل و شبکه‌های اجتماعی", 120, 30, 300_000_000),
    ] {
        let c = campaigns::ActiveModel {
            name: Set(name.into()),
            start_date: Set(Some(date(start))),
            end_date: Set(Some(date(end))),
            description: Set(None),
            cost: Set(Fixed4(Decimal::from(cost))),
            active: Set(true),
            version: Set(1),
            created_at: Set(at),
            created_by: Set(Some(admin)),
            updated_at: Set(at),
            updated_by: Set(Some(admin)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        campaign_ids.push(c.id);
    }

    let sources = item_ids(&txn, SystemListKey::Source).await?;
    let types = item_ids(&txn, SystemListKey::OpportunityType).await?;
    let wins = item_ids(&txn, SystemListKey::WinReason).await?;
    let losses = item_ids(&txn, SystemListKey::LossReason).await?;
    let processes = item_ids(&txn, SystemListKey::PurchaseProcess).await?;
    let units = item_ids(&txn, SystemListKey::ProductUnit).await?;
    let prefixes = item_ids(&txn, SystemListKey::PersonPrefix).await?;

    // Identities: organizations, people, competitors.
    let mut customers = vec![];
    for (i, org) in ORGS.iter().enumerate() {
        let mut input = IdentityInput::organization(org);
        input.economic_code = Some(format!("4110{:07}", 1_234_567 + i * 7919));
        input.source_id = Some(rng.pick(&sources).0);
        input.campaign_id = if i % 4 == 0 {
            Some(*rng.pick(&campaign_ids))
        } else {
            None
        };
        input.responsible_user_id = Some(sellers[1 + i % 3]);
        input.phones = vec![PhoneInput {
            kind: PhoneKind::Phone,
            number: format!("021{:08}", 88_000_000 + i * 10_301),
            is_default: true,
        }];
        input.emails = vec![EmailInput {
            address: format!("info{}@example.ir", i + 1),
            is_default: true,
        }];
        let city = CITIES[i % CITIES.len()];
        input.addresses = vec![AddressInput {
            city: Some(city.into()),
            text: format!("{}، {}، پلاک {}", city, rng.pick(STREETS), 10 + rng.below(190)),
            postal_code: Some(format!("{:010}", 1_134_567_890u64 + i as u64 * 1_013)),
            is_default: true,
        }];
        customers.push(identities::create(&txn, &admin_actor, input).await?.id);
    }
    for i in 0..16 {
        let first = FIRST[(i * 5) % FIRST.len()];
        let last = LAST[(i * 3 + 1) % LAST.len()];
        let mut input = IdentityInput::person(first, last);
        input.prefix_id = Some(rng.pick(&prefixes).0);
        input.national_code = Some(format!("{:010}", 12_345_678 + i * 97_531));
        input.source_id = Some(rng.pick(&sources).0);
        input.responsible_user_id = Some(sellers[1 + i % 3]);
        input.phones = vec![PhoneInput {
            kind: PhoneKind::Mobile,
            number: format!("0912{:07}", 1_000_000 + i * 37_171),
            is_default: true,
        }];
        let city = CITIES[(i + 3) % CITIES.len()];
        input.addresses = vec![AddressInput {
            city: Some(city.into()),
            text: format!("{}، {}، کوچه {}", city, rng.pick(STREETS), 1 + rng.below(30)),
            postal_code: None,
            is_default: true,
        }];
        customers.push(identities::create(&txn, &admin_actor, input).await?.id);
    }
    let mut competitors = vec![];
    for name in COMPETITORS {
        let mut input = IdentityInput::organization(name);
        input.is_customer = false;
        input.is_competitor = true;
        competitors.push(identities::create(&txn, &admin_actor, input).await?.id);
    }

    // Product catalogue.
    let mut product_rows = vec![];
    for (order, (category, items)) in CATALOG.iter().enumerate() {
        let cat = product_categories::ActiveModel {
            parent_id: Set(None),
            name: Set((*category).into()),
            sort_order: Set(order as i32 + 1),
            version: Set(1),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (code, name, kind, unit, price) in items.iter() {
            let unit_id = units
                .iter()
                .find(|(_, k)| k.as_deref() == Some(*unit))
                .map(|(id, _)| *id);
            let p = products::ActiveModel {
                code: Set((*code).into()),
                name: Set((*name).into()),
                category_id: Set(cat.id),
                kind: Set(kind.as_str().into()),
                unit_id: Set(unit_id),
                sale_price: Set(Fixed4(Decimal::from(*price))),
                taxable: Set(*kind == ProductKind::Product),
                saleable: Set(true),
                active: Set(true),
                version: Set(1),
                created_at: Set(at),
                created_by: Set(Some(admin)),
                updated_at: Set(at),
                updated_by: Set(Some(admin)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            product_rows.push((p.id, Decimal::from(*price), *kind == ProductKind::Product));
        }
    }

    // Custom fields of the opportunity (field 13), in one group.
    let mut field_ids = vec![];
    for (order, (key, fa, en, ty, required, options)) in [
        ("shipping", "نحوه ارسال", "Shipping method", CustomFieldType::Choice, false, Some(r#"[{"key":"courier","fa":"پیک","en":"Courier"},{"key":"freight","fa":"باربری","en":"Freight"},{"key":"pickup","fa":"تحویل حضوری","en":"Pickup"}]"#)),
        ("payment_terms", "شرایط پرداخت", "Payment terms", CustomFieldType::Text, false, None),
        ("needs_installation", "نیاز به نصب", "Needs installation", CustomFieldType::YesNo, false, None),
    ]
    .into_iter()
    .enumerate()
    {
        let f = custom_fields::ActiveModel {
            entity: Set(CustomFieldEntity::Opportunity.as_str().into()),
            key: Set(key.into()),
            title_fa: Set(fa.into()),
            title_en: Set(en.into()),
            field_type: Set(ty.as_str().into()),
            required: Set(required),
            help_fa: Set(None),
            help_en: Set(None),
            group_fa: Set(Some("مشخصات تکمیلی".into())),
            group_en: Set(Some("Extra specifications".into())),
            sort_order: Set(order as i32 + 1),
            options: Set(options.map(str::to_owned)),
            active: Set(true),
            version: Set(1),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        field_ids.push((f.id, ty));
    }

    // Opportunities over every stage.
    let stage_rows = stages::Entity::find().all(&txn).await?;
    let open: Vec<_> = stage_rows
        .iter()
        .filter(|s| s.kind == StageKind::Open.as_str())
        .collect();
    let won = stage_rows
        .iter()
        .find(|s| s.kind == StageKind::Won.as_str())
        .expect("a won stage");
    let lost = stage_rows
        .iter()
        .find(|s| s.kind == StageKind::Lost.as_str())
        .expect("a lost stage");
    let tax = settings::get(&txn).await?.tax_percent;
    let invoice_template = settings::numbering_template(&txn, "invoice").await?;
    let receipt_template = settings::numbering_template(&txn, "receipt").await?;
    let proforma_template = settings::numbering_template(&txn, "proforma").await?;
    // The open opportunities (id, customer, owner), followed up below.
    let mut open_deals: Vec<(i32, i32, i32)> = vec![];
    for n in 0..150usize {
        let created_days_ago = 5 + rng.below(360) as i64;
        let created = now() - Duration::days(created_days_ago) - Duration::minutes(rng.below(600) as i64);
        let created = Utc
            .timestamp_micros(created.timestamp_micros())
            .single()
            .unwrap_or(created);
        // 0..4 open stages, then won (~25%) and lost (~20%).
        let roll = rng.below(100);
        let (stage, outcome) = if roll < 25 {
            (won, Some(StageKind::Won))
        } else if roll < 45 {
            (lost, Some(StageKind::Lost))
        } else {
            (open[rng.below(open.len())], None)
        };
        let identity = customers[rng.below(customers.len())];
        let owner = sellers[1 + rng.below(3)];
        let closed_after = 3 + rng.below(created_days_ago.max(4) as usize - 2) as i64;
        let closed_on = (created + Duration::days(closed_after))
            .date_naive()
            .min(clock().today());
        let probability = match outcome {
            Some(StageKind::Won) => 100,
            Some(_) => 0,
            None => stage.default_probability.unwrap_or(10),
        };
        // Two or three product lines.
        let mut lines: Vec<(i32, Decimal, Decimal, Decimal, Decimal, bool)> = vec![];
        for _ in 0..(1 + rng.below(3)) {
            let (pid, price, taxable) = product_rows[rng.below(product_rows.len())];
            if lines.iter().any(|(p, ..)| *p == pid) {
                continue;
            }
            let qty = Decimal::from(1 + rng.below(8) as i64);
            let discount_pct = Decimal::from([0, 0, 5, 10][rng.below(4)]);
            let gross = qty * price;
            let discount = (gross * discount_pct / Decimal::from(100)).round();
            lines.push((pid, qty, price, discount_pct, gross - discount, taxable));
        }
        let estimated: Decimal = lines.iter().map(|l| l.4).sum();
        let title = format!("{} - {}", TITLES[rng.below(TITLES.len())], n + 1);
        let opp = opportunities::ActiveModel {
            identity_id: Set(identity),
            title: Set(title.clone()),
            assigned_user_id: Set(Some(owner)),
            type_id: Set(rng.pick(&types).0),
            source_id: Set(rng.pick(&sources).0),
            campaign_id: Set(if rng.below(3) == 0 {
                Some(*rng.pick(&campaign_ids))
            } else {
                None
            }),
            close_date: Set(Some((created + Duration::days(30 + rng.below(90) as i64)).date_naive())),
            estimated_amount: Set(Fixed4(estimated)),
            amount_is_manual: Set(false),
            probability: Set(probability),
            probability_is_manual: Set(false),
            win_reason_id: Set(if outcome == Some(StageKind::Won) {
                Some(rng.pick(&wins).0)
            } else {
                None
            }),
            loss_reason_id: Set(if outcome == Some(StageKind::Lost) {
                Some(rng.pick(&losses).0)
            } else {
                None
            }),
            reason_note: Set(None),
            purchase_process_id: Set(Some(rng.pick(&processes).0)),
            stage_id: Set(stage.id),
            won_on: Set(if outcome == Some(StageKind::Won) {
                Some(closed_on)
            } else {
                None
            }),
            lost_on: Set(if outcome == Some(StageKind::Lost) {
                Some(closed_on)
            } else {
                None
            }),
            closed_at: Set(outcome.map(|_| created + Duration::days(closed_after))),
            version: Set(1),
            created_at: Set(created),
            created_by: Set(Some(owner)),
            updated_at: Set(created),
            updated_by: Set(Some(owner)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if outcome.is_none() {
            open_deals.push((opp.id, identity, owner));
        }
        for (pos, (pid, qty, price, pct, final_price, _)) in lines.iter().enumerate() {
            opportunity_lines::ActiveModel {
                opportunity_id: Set(opp.id),
                position: Set(pos as i32 + 1),
                product_id: Set(*pid),
                quantity: Set(Fixed4(*qty)),
                unit_price: Set(Fixed4(*price)),
                discount_kind: Set(DiscountKind::Percent.as_str().into()),
                discount_value: Set(Fixed4(*pct)),
                final_price: Set(Fixed4(*final_price)),
                description: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        if rng.below(3) == 0 {
            opportunity_competitors::ActiveModel {
                opportunity_id: Set(opp.id),
                competitor_id: Set(*rng.pick(&competitors)),
                note: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        for (fid, ty) in &field_ids {
            let value = match ty {
                CustomFieldType::Choice => Some(["courier", "freight", "pickup"][rng.below(3)].to_owned()),
                CustomFieldType::YesNo => Some(if rng.below(2) == 0 { "true" } else { "false" }.to_owned()),
                _ if rng.below(2) == 0 => Some("۵۰٪ پیش‌پرداخت، مابقی پس از تحویل".to_owned()),
                _ => None,
            };
            if let Some(value) = value {
                custom_field_values::ActiveModel {
                    field_id: Set(*fid),
                    record_id: Set(opp.id),
                    value: Set(value),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        // Stage history: created in the first stage, then moved along.
        let mut path: Vec<i32> = vec![open[0].id];
        let target_index = open.iter().position(|s| s.id == stage.id);
        let last_open = match (target_index, outcome) {
            (Some(i), _) => i,
            (None, _) => rng.below(open.len()),
        };
        for s in open.iter().take(last_open + 1).skip(1) {
            path.push(s.id);
        }
        if outcome.is_some() {
            path.push(stage.id);
        }
        let span = (now() - created).num_minutes().max(path.len() as i64);
        let step = span / path.len() as i64;
        let mut prev = None;
        for (k, to) in path.iter().enumerate() {
            let when = if k == 0 {
                created
            } else if Some(*to) == outcome.map(|_| stage.id) {
                created + Duration::days(closed_after)
            } else {
                created + Duration::minutes(step * k as i64 / 2)
            };
            stage_history::ActiveModel {
                opportunity_id: Set(opp.id),
                from_stage_id: Set(prev),
                to_stage_id: Set(*to),
                changed_at: Set(when),
                changed_by: Set(Some(owner)),
                note: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            prev = Some(*to);
        }
        // Won opportunities: an approved invoice, and for most a receipt.
        if outcome == Some(StageKind::Won) {
            let issue = closed_on;
            let mut sum = Decimal::ZERO;
            let mut discount_total = Decimal::ZERO;
            let mut tax_total = Decimal::ZERO;
            for (_, qty, price, _, final_price, taxable) in &lines {
                sum += qty * price;
                discount_total += qty * price - final_price;
                if *taxable {
                    tax_total += (final_price * tax / Decimal::from(100)).round();
                }
            }
            let total = sum - discount_total + tax_total;
            let number = numbering::next(&txn, FinancialKind::Invoice.as_str(), &invoice_template, issue).await?;
            let inv = financial_records::ActiveModel {
                kind: Set(FinancialKind::Invoice.as_str().into()),
                number: Set(number),
                title: Set(format!("فاکتور {title}")),
                identity_id: Set(identity),
                opportunity_id: Set(Some(opp.id)),
                parent_record_id: Set(None),
                issue_date: Set(issue),
                status: Set(RecordStatus::Approved.as_str().into()),
                description: Set(None),
                expiry_date: Set(None),
                method: Set(None),
                reference_no: Set(None),
                contract_kind: Set(None),
                start_date: Set(None),
                end_date: Set(None),
                total_sum: Set(Fixed4(sum)),
                total_discount: Set(Fixed4(discount_total)),
                total_tax: Set(Fixed4(tax_total)),
                amount: Set(Fixed4(total)),
                version: Set(1),
                created_at: Set(at),
                created_by: Set(Some(owner)),
                updated_at: Set(at),
                updated_by: Set(Some(owner)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            for (pos, (pid, qty, price, pct, final_price, taxable)) in lines.iter().enumerate() {
                let tax_amount = if *taxable {
                    (final_price * tax / Decimal::from(100)).round()
                } else {
                    Decimal::ZERO
                };
                financial_lines::ActiveModel {
                    record_id: Set(inv.id),
                    position: Set(pos as i32 + 1),
                    product_id: Set(*pid),
                    source_line_id: Set(None),
                    quantity: Set(Fixed4(*qty)),
                    unit_price: Set(Fixed4(*price)),
                    discount_kind: Set(DiscountKind::Percent.as_str().into()),
                    discount_value: Set(Fixed4(*pct)),
                    tax_percent: Set(Fixed4(if *taxable { tax } else { Decimal::ZERO })),
                    tax_amount: Set(Fixed4(tax_amount)),
                    final_price: Set(Fixed4(final_price + tax_amount)),
                    description: Set(None),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
            if rng.below(4) != 0 {
                // Paid in full or in part.
                let paid = if rng.below(2) == 0 {
                    total
                } else {
                    (total / Decimal::from(2)).round()
                };
                let number = numbering::next(&txn, FinancialKind::Receipt.as_str(), &receipt_template, issue).await?;
                financial_records::ActiveModel {
                    kind: Set(FinancialKind::Receipt.as_str().into()),
                    number: Set(number),
                    title: Set(format!("دریافت وجه {title}")),
                    identity_id: Set(identity),
                    opportunity_id: Set(Some(opp.id)),
                    parent_record_id: Set(None),
                    issue_date: Set(issue),
                    status: Set(RecordStatus::Approved.as_str().into()),
                    description: Set(None),
                    expiry_date: Set(None),
                    method: Set(Some(rng.pick(PaymentMethod::ALL).as_str().into())),
                    reference_no: Set(Some(format!("{}", 100_000 + rng.below(900_000)))),
                    contract_kind: Set(None),
                    start_date: Set(None),
                    end_date: Set(None),
                    total_sum: Set(Fixed4::ZERO),
                    total_discount: Set(Fixed4::ZERO),
                    total_tax: Set(Fixed4::ZERO),
                    amount: Set(Fixed4(paid)),
                    version: Set(1),
                    created_at: Set(at),
                    created_by: Set(Some(owner)),
                    updated_at: Set(at),
                    updated_by: Set(Some(owner)),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        } else if outcome.is_none() && stage.default_probability.unwrap_or(0) >= 50 && rng.below(2) == 0 {
            // A draft proforma for opportunities at the proposal stage or later.
            let number = numbering::next(
                &txn,
                FinancialKind::Proforma.as_str(),
                &proforma_template,
                created.date_naive(),
            )
            .await?;
            financial_records::ActiveModel {
                kind: Set(FinancialKind::Proforma.as_str().into()),
                number: Set(number),
                title: Set(format!("پیش‌فاکتور {title}")),
                identity_id: Set(identity),
                opportunity_id: Set(Some(opp.id)),
                parent_record_id: Set(None),
                issue_date: Set(created.date_naive()),
                status: Set(RecordStatus::Draft.as_str().into()),
                description: Set(None),
                expiry_date: Set(Some(created.date_naive() + Duration::days(15))),
                method: Set(None),
                reference_no: Set(None),
                contract_kind: Set(None),
                start_date: Set(None),
                end_date: Set(None),
                total_sum: Set(Fixed4(estimated)),
                total_discount: Set(Fixed4::ZERO),
                total_tax: Set(Fixed4::ZERO),
                amount: Set(Fixed4(estimated)),
                version: Set(1),
                created_at: Set(at),
                created_by: Set(Some(owner)),
                updated_at: Set(at),
                updated_by: Set(Some(owner)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    follow_ups(&txn, &open_deals, admin, at).await?;
    settings::put(&txn, FLAG, &at.to_rfc3339()).await?;
    ensure_demo_passwords(&txn).await?;
    txn.commit().await?;
    Ok(true)
}

/// Follow-ups of the open opportunities, as a team at work leaves them: about half
/// have a next step planned for their owner (some overdue, some today, most later),
/// earlier calls are done with their result, a few carry comments; the administrator
/// has a few tasks of their own (their "my day" is not empty). No reminders: the
/// demo does not ring at its first start. A generator of its own, so that the
/// opportunities above stay the same.
async fn follow_ups<C: ConnectionTrait>(
    db: &C,
    deals: &[(i32, i32, i32)],
    admin: i32,
    at: chrono::DateTime<Utc>,
) -> AppResult<()> {
    use crate::domain::{ActivityKind, ActivityStatus, CallDirection, CallResult};
    use chrono::NaiveTime;
    const PLANNED: [(ActivityKind, &str); 6] = [
        (ActivityKind::Task, "ارسال پیش‌فاکتور اصلاح‌شده"),
        (ActivityKind::Call, "تماس برای پیگیری پیشنهاد"),
        (ActivityKind::Meeting, "جلسه معرفی محصول در دفتر مشتری"),
        (ActivityKind::Task, "ارسال کاتالوگ و لیست قیمت"),
        (ActivityKind::Call, "هماهنگی زمان نصب و راه‌اندازی"),
        (ActivityKind::Meeting, "دموی نرم‌افزار برای تیم فنی"),
    ];
    const DONE: [(CallResult, &str, &str); 4] = [
        (
            CallResult::Reached,
            "تماس اول",
            "نیاز مشتری بررسی شد؛ پیشنهاد قیمت خواستند.",
        ),
        (
            CallResult::NoAnswer,
            "تماس پیگیری",
            "پاسخ ندادند؛ فردا دوباره تماس گرفته شود.",
        ),
        (
            CallResult::Reached,
            "پیگیری پیش‌فاکتور",
            "پیش‌فاکتور را دریافت کرده‌اند و در حال بررسی هستند.",
        ),
        (CallResult::Busy, "تماس با واحد خرید", "مشغول بود؛ پیامک ارسال شد."),
    ];
    const COMMENTS: [&str; 3] = [
        "مشتری تخفیف بیشتری برای خرید عمده خواسته است.",
        "قرارداد نگهداری سالانه را هم پیشنهاد بدهیم.",
        "مدیر خرید تا آخر هفته در سفر است.",
    ];
    let clock = clock();
    let today = clock.today();
    let mut rng = Rng(0x0A17_1C0F_FEE5_u64);
    let hour = |h: u32, m: u32| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    let planned = |kind: ActivityKind, subject: &str, deal: (i32, i32, i32), user: i32, due: chrono::DateTime<Utc>| {
        activities::ActiveModel {
            kind: Set(kind.as_str().to_owned()),
            subject: Set(subject.to_owned()),
            identity_id: Set(deal.1),
            opportunity_id: Set(Some(deal.0)),
            assigned_user_id: Set(Some(user)),
            due_at: Set(Some(due)),
            all_day: Set(false),
            duration_minutes: Set(if kind == ActivityKind::Meeting { Some(60) } else { None }),
            status: Set(ActivityStatus::Planned.as_str().to_owned()),
            direction: Set(if kind == ActivityKind::Call {
                Some(CallDirection::Outgoing.as_str().to_owned())
            } else {
                None
            }),
            version: Set(1),
            created_at: Set(at),
            created_by: Set(Some(user)),
            updated_at: Set(at),
            updated_by: Set(Some(user)),
            ..Default::default()
        }
    };
    for (n, &deal) in deals.iter().enumerate() {
        // An earlier call, done.
        if rng.below(10) < 4 {
            let (result, subject, outcome) = DONE[rng.below(DONE.len())];
            let when = clock.at(
                today - Duration::days(2 + rng.below(20) as i64),
                hour(9 + rng.below(8) as u32, 0),
            );
            activities::ActiveModel {
                kind: Set(ActivityKind::Call.as_str().to_owned()),
                subject: Set(subject.to_owned()),
                identity_id: Set(deal.1),
                opportunity_id: Set(Some(deal.0)),
                assigned_user_id: Set(Some(deal.2)),
                due_at: Set(Some(when)),
                all_day: Set(false),
                duration_minutes: Set(Some(5 + rng.below(20) as i32)),
                status: Set(ActivityStatus::Done.as_str().to_owned()),
                direction: Set(Some(CallDirection::Outgoing.as_str().to_owned())),
                call_result: Set(Some(result.as_str().to_owned())),
                outcome: Set(Some(outcome.to_owned())),
                completed_at: Set(Some(when)),
                version: Set(1),
                created_at: Set(when),
                created_by: Set(Some(deal.2)),
                updated_at: Set(when),
                updated_by: Set(Some(deal.2)),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        // The next step, for about half of them.
        if rng.below(2) == 0 {
            let (kind, subject) = PLANNED[rng.below(PLANNED.len())];
            let day = match rng.below(10) {
                0 | 1 => today - Duration::days(1 + rng.below(4) as i64),
                2 | 3 => today,
                _ => today + Duration::days(1 + rng.below(12) as i64),
            };
            let time = hour(9 + rng.below(8) as u32, [0, 30][rng.below(2)]);
            planned(kind, subject, deal, deal.2, clock.at(day, time))
                .insert(db)
                .await?;
        }
        if n % 7 == 0 {
            comments::ActiveModel {
                opportunity_id: Set(deal.0),
                author_id: Set(Some(deal.2)),
                body: Set(COMMENTS[rng.below(COMMENTS.len())].to_owned()),
                created_at: Set(at - Duration::hours(1 + rng.below(72) as i64)),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    // The administrator's own: one overdue, one today, one tomorrow.
    for (i, days) in [-1i64, 0, 1].into_iter().enumerate() {
        let Some(&deal) = deals.get(i * 5) else { break };
        let (kind, subject) = PLANNED[i];
        let due = clock.at(today + Duration::days(days), hour(11 + i as u32, 0));
        planned(kind, subject, deal, admin, due).insert(db).await?;
    }
    Ok(())
}
