//! The audit trail: who did what to whom, kept for administrators and inspectors. Rows
//! are append-only (see `db::guards`): nothing can change or remove them.

use crate::db;
use crate::ids::{OrganisationId, PersonId};
use sqlx::AnyConnection;

/// What happened. The stored names are stable: reports and inspectors read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    AdminCreated,
    UserInvited,
    InvitationResent,
    RoleGranted,
    RoleRevoked,
    UserDeactivated,
    UserReactivated,
    DateOfBirthSet,
    PasswordChanged,
    PasswordReset,
    InvitationAccepted,
    SafeInternetContactsSaved,
    ParentLinkSent,
    ParentPaperRecorded,
    ParentAcknowledged,
    PolicyReminders,
    PolicySchedule,
    ModuleSwitchedOn,
    ModuleSwitchedOff,
    ModulePassMark,
    ModuleAdded,
    ModuleReplaced,
    /// Someone opened a record whose every reading is logged (the concern log will).
    RecordRead,
    /// A staff record (job, department, dates, line manager) was changed by hand.
    StaffRecordChanged,
    /// Staff records were created or updated from an HR export.
    StaffImported,
    /// A document to read and acknowledge was created.
    DocumentCreated,
    /// An edition of a document was published.
    DocumentPublished,
    /// A member of staff acknowledged an edition of a document.
    DocumentAcknowledged,
    /// A briefing was recorded, with a completion for each attendee.
    BriefingRecorded,
    /// A completion was recorded for someone by hand (the completion editor).
    CompletionRecorded,
    /// A completion was corrected (a new date) or withdrawn: a new row superseding it.
    CompletionCorrected,
    /// A back-fill file of historic completions was read for its preview.
    CompletionsImportPreviewed,
    /// Historic completions were imported from a back-fill file.
    CompletionsImported,
    /// A waiting back-fill file was put aside without importing it.
    CompletionsImportCancelled,
    /// An external course was recorded with its certificate file.
    CourseRecorded,
    /// The People department verified an external course (it now counts).
    CourseVerified,
    /// The People department rejected an external course, with a reason.
    CourseRejected,
    /// A staff training requirement was added, changed, retired or brought back.
    TrainingRequirementAdded,
    TrainingRequirementChanged,
    TrainingRequirementRetired,
    TrainingRequirementBroughtBack,
    /// The organisation's training settings (the "due soon" days) were saved.
    TrainingSettingsChanged,
    /// The staff reminder settings were saved (with the due soon days), or reminders
    /// paused or resumed.
    ReminderSettingsChanged,
    /// A learner's status changed (active, break in learning, withdrawn, completed).
    LearnerStatusChanged,
    /// The number of days after their start that a learner's induction is due changed.
    InductionDaysChanged,
    /// An enrolment file was read for its preview.
    EnrolmentPreviewed,
    /// Learners were enrolled from a file.
    LearnersEnrolled,
    /// A waiting enrolment file was put aside.
    EnrolmentCancelled,
    /// A cohort's learners were sent a reminder (a nudge) by their tutor.
    LearnersNudged,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::AdminCreated => "admin_created",
            Action::UserInvited => "user_invited",
            Action::InvitationResent => "invitation_resent",
            Action::RoleGranted => "role_granted",
            Action::RoleRevoked => "role_revoked",
            Action::UserDeactivated => "user_deactivated",
            Action::UserReactivated => "user_reactivated",
            Action::DateOfBirthSet => "user_date_of_birth",
            Action::PasswordChanged => "password_changed",
            Action::PasswordReset => "password_reset",
            Action::InvitationAccepted => "invitation_accepted",
            Action::SafeInternetContactsSaved => "safe_internet_contacts_saved",
            Action::ParentLinkSent => "policy.parent_link",
            Action::ParentPaperRecorded => "policy.parent_paper",
            Action::ParentAcknowledged => "policy.parent_acknowledged",
            Action::PolicyReminders => "policy.reminders",
            Action::PolicySchedule => "policy.schedule",
            Action::ModuleSwitchedOn => "module.switched_on",
            Action::ModuleSwitchedOff => "module.switched_off",
            Action::ModulePassMark => "module.pass_mark",
            Action::ModuleAdded => "module.added",
            Action::ModuleReplaced => "module.replaced",
            Action::RecordRead => "record.read",
            Action::StaffRecordChanged => "staff.record_changed",
            Action::StaffImported => "staff.imported",
            Action::DocumentCreated => "document.created",
            Action::DocumentPublished => "document.published",
            Action::DocumentAcknowledged => "document.acknowledged",
            Action::BriefingRecorded => "training.briefing_recorded",
            Action::CompletionRecorded => "training.completion_recorded",
            Action::CompletionCorrected => "training.completion_corrected",
            Action::CompletionsImportPreviewed => "training.import_previewed",
            Action::CompletionsImported => "training.imported",
            Action::CompletionsImportCancelled => "training.import_cancelled",
            Action::CourseRecorded => "training.course_recorded",
            Action::CourseVerified => "training.course_verified",
            Action::CourseRejected => "training.course_rejected",
            Action::TrainingRequirementAdded => "training.requirement_added",
            Action::TrainingRequirementChanged => "training.requirement_changed",
            Action::TrainingRequirementRetired => "training.requirement_retired",
            Action::TrainingRequirementBroughtBack => "training.requirement_brought_back",
            Action::TrainingSettingsChanged => "training.settings_changed",
            Action::ReminderSettingsChanged => "training.reminder_settings_changed",
            Action::LearnerStatusChanged => "cohorts.learner_status",
            Action::InductionDaysChanged => "cohorts.induction_days",
            Action::EnrolmentPreviewed => "cohorts.enrolment_previewed",
            Action::LearnersEnrolled => "cohorts.enrolled",
            Action::EnrolmentCancelled => "cohorts.enrolment_cancelled",
            Action::LearnersNudged => "cohorts.nudged",
        }
    }
}

pub async fn record(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    actor_id: Option<&PersonId>,
    action: Action,
    subject_id: Option<&str>,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_events (id, org_id, actor_id, action, subject_id, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(db::new_id())
    .bind(org_id)
    .bind(actor_id)
    .bind(action.as_str())
    .bind(subject_id)
    .bind(detail)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Record that `reader` opened `what` (a kind of record, like "concern") with id
/// `record_id`: for records where every reading must be accounted for.
pub async fn record_read(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    reader_id: &PersonId,
    what: &str,
    record_id: &str,
) -> Result<(), sqlx::Error> {
    record(
        conn,
        org_id,
        Some(reader_id),
        Action::RecordRead,
        Some(record_id),
        what,
    )
    .await
}
