//! The learner's course: induction modules, their quizzes, progress and certificates.
//! (This session: quiz marking; the journey's pages come next, see the README.)

#[cfg(feature = "ssr")]
pub mod scoring;
