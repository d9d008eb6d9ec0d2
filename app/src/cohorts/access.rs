//! What a tutor sees everywhere in the product: the learners of the cohorts they teach,
//! and nobody else. Those who see every cohort (administrators, the DSL, the People
//! department) are not narrowed. The signing report, its reminders and CSV, parents'
//! acknowledgements, signed copies and certificates all ask here.

use crate::auth::{Capability, CurrentUser};
use crate::db::Db;
use crate::ids::PersonId;

/// The tutor whose cohorts `user`'s view of learners is narrowed to, or None when they see
/// everyone their roles allow.
pub fn narrowed_to(user: &CurrentUser) -> Option<&PersonId> {
    (!user.can(Capability::ViewAllCohorts)).then_some(&user.id)
}

/// Whether `tutor` teaches the cohort `learner` is in now.
pub async fn teaches(db: &Db, tutor: &PersonId, learner: &PersonId) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM cohort_learners m
         JOIN cohort_tutors t ON t.cohort_id = m.cohort_id
         WHERE m.user_id = $1 AND m.left_at IS NULL AND t.user_id = $2",
    )
    .bind(learner)
    .bind(tutor)
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

/// Whether `user` (already allowed to look at people's records) may see `person`'s: yes
/// unless narrowed, then only a learner of a cohort they teach.
pub async fn sees(db: &Db, user: &CurrentUser, person: &PersonId) -> Result<bool, sqlx::Error> {
    match narrowed_to(user) {
        None => Ok(true),
        Some(tutor) => teaches(db, tutor, person).await,
    }
}
