//! Signing in. On a SQLite file ("this computer only") passwords are argon2id hashes
//! in `users.password_hash`; a single user without a password opens directly, and as
//! soon as there are several users or a password is set, the app asks. On a team server
//! PostgreSQL checks the password of the user's own login role (see `crate::server`),
//! and setting a password changes that role's.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter};

use super::sql::literal;
use super::Actor;
use crate::domain::{UserRole, ValidationCode, Validator};
use crate::entity::users;
use crate::error::{AppError, AppResult};

/// The shortest password accepted.
pub const PASSWORD_MIN: usize = 8;
/// The longest password accepted (argon2 takes any length; this bounds the work).
pub const PASSWORD_MAX: usize = 200;

/// Why a sign-in failed, the same for an unknown user, a wrong password and a
/// deactivated account, so the screen does not tell which usernames exist.
pub const WRONG_CREDENTIALS: &str = "wrong_credentials";

/// Checks a new password: `field` names it in the error.
pub fn check_password(v: &mut Validator, field: &str, password: &str) {
    let n = password.chars().count();
    if n == 0 {
        v.push(field, ValidationCode::Required);
    } else if n < PASSWORD_MIN {
        v.push_limit(field, ValidationCode::TooShort, Some(PASSWORD_MIN.to_string()), None);
    } else if n > PASSWORD_MAX {
        v.push_limit(field, ValidationCode::TooLong, None, Some(PASSWORD_MAX.to_string()));
    }
}

/// An argon2id PHC string for `password` with a random salt.
pub fn hash_password(password: &str) -> AppResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::database(&format!("password hashing: {e}")))
}

/// Whether `password` matches a stored hash (a malformed hash matches nothing).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Whether this SQLite file asks who is there: several active users, or a password set.
pub async fn sign_in_required<C: ConnectionTrait>(db: &C) -> AppResult<bool> {
    if db.get_database_backend() == DbBackend::Postgres {
        return Ok(true);
    }
    let active = users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .count(db)
        .await?;
    let with_password = users::Entity::find()
        .filter(users::Column::PasswordHash.is_not_null())
        .count(db)
        .await?;
    Ok(active > 1 || with_password > 0)
}

/// The only user, when this file opens without asking (see [`sign_in_required`]).
pub async fn sole_user<C: ConnectionTrait>(db: &C) -> AppResult<Option<Actor>> {
    if sign_in_required(db).await? {
        return Ok(None);
    }
    Ok(users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .one(db)
        .await?
        .map(|u| actor_of(&u)))
}

fn actor_of(u: &users::Model) -> Actor {
    Actor {
        user_id: u.id,
        role: UserRole::parse(&u.role).unwrap_or(UserRole::Salesperson),
    }
}

/// Signs in on a SQLite file. A user who has no password yet signs in with an empty
/// one (the app then asks them to set one); anyone else needs theirs.
pub async fn sign_in<C: ConnectionTrait>(db: &C, username: &str, password: &str) -> AppResult<Actor> {
    let username = username.trim().to_lowercase();
    let user = if username.is_empty() || username.len() > 64 {
        None
    } else {
        users::Entity::find()
            .filter(users::Column::Username.eq(&username))
            .one(db)
            .await?
    };
    // Hash even when the user is unknown, so the answer takes as long either way.
    let ok = match &user {
        Some(u) if u.active => match &u.password_hash {
            Some(hash) => verify_password(password, hash),
            None => password.is_empty(),
        },
        _ => {
            let _ = hash_password(password);
            false
        }
    };
    match user {
        Some(u) if ok => Ok(actor_of(&u)),
        _ => Err(AppError::forbidden(WRONG_CREDENTIALS)),
    }
}

/// Whether the user has a password (the app asks one who has none to set it).
pub async fn has_password<C: ConnectionTrait>(db: &C, user_id: i32) -> AppResult<bool> {
    Ok(users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some_and(|u| u.password_hash.is_some()))
}

/// Sets a user's password: an administrator for anyone, everyone for themselves. On a
/// team server it is the password of the user's login role.
pub async fn set_password<C: ConnectionTrait>(db: &C, actor: &Actor, user_id: i32, password: &str) -> AppResult<()> {
    if !actor.is_admin() && actor.user_id != user_id {
        return Err(AppError::forbidden("users_admin_only"));
    }
    let mut v = Validator::new();
    check_password(&mut v, "password", password);
    v.finish()?;
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("user", user_id))?;
    if db.get_database_backend() == DbBackend::Postgres {
        let role = UserRole::parse(&user.role).unwrap_or(UserRole::Salesperson);
        return sync_login(db, &user.username, role, user.active, Some(password)).await;
    }
    users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(Some(hash_password(password)?)))
        .filter(users::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// On a team server: creates or updates the login role of a Forsat user — its
/// password (when given), its Forsat role group, whether it may log in. Run by the
/// owner or an administrator (the database refuses anyone else). Elsewhere (SQLite,
/// or a PostgreSQL database not set up by `forsat server init`): nothing.
pub async fn sync_login<C: ConnectionTrait>(
    db: &C,
    username: &str,
    role: UserRole,
    active: bool,
    password: Option<&str>,
) -> AppResult<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    // A PostgreSQL database that was never set up as a team server (a bare one, as in
    // the backend tests) has no login roles to keep.
    let set_up = db
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            "SELECT to_regprocedure('forsat_sync_login(text,text,boolean,text)') IS NOT NULL AS f",
        ))
        .await?
        .and_then(|r| r.try_get::<bool>("", "f").ok())
        .unwrap_or(false);
    if !set_up {
        return Ok(());
    }
    let sql = format!(
        "SELECT forsat_sync_login({}, {}, {}, {})",
        literal(username),
        literal(role.as_str()),
        active,
        password.map(literal).unwrap_or_else(|| "NULL".into()),
    );
    db.execute_unprepared(&sql).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horse ", &h));
        assert!(!verify_password("correct horse", "not a hash"));
        // Salted: the same password hashes differently each time.
        assert_ne!(h, hash_password("correct horse").unwrap());
    }

    #[test]
    fn new_passwords_have_a_length() {
        let codes = |p: &str| {
            let mut v = Validator::new();
            check_password(&mut v, "password", p);
            v.finish().err().map(|e| e.field_codes())
        };
        assert_eq!(codes(""), Some(vec![("password".into(), ValidationCode::Required)]));
        assert_eq!(
            codes("1234567"),
            Some(vec![("password".into(), ValidationCode::TooShort)])
        );
        assert_eq!(codes("12345678"), None);
        assert_eq!(
            codes(&"x".repeat(201)),
            Some(vec![("password".into(), ValidationCode::TooLong)])
        );
    }
}
