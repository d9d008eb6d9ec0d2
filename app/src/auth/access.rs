//! The one access rule: what each role may do, in one table. Server functions, plain
//! axum handlers (downloads), the menu, the home page and the tests all ask it, instead
//! of keeping role lists of their own.

use super::types::{CurrentUser, Role};
use serde::{Deserialize, Serialize};

/// Something a person may be allowed to do in their own organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Capability {
    /// Invite people, give and take roles, deactivate accounts.
    ManageUsers,
    /// Switch modules on or off, set pass marks, add the organisation's own modules.
    ManageModules,
    /// Publish policy versions and set the signing schedule.
    PublishPolicies,
    /// Edit the organisation's contacts on the Safe Internet page.
    EditSafeInternetContacts,
    /// See who has signed, download the list, send reminders.
    ReadSigningReport,
    /// Ask a parent or carer to acknowledge the policy, or record a paper form.
    FollowUpParents,
    /// Open another person's signed copy (for the learner or personnel file).
    OpenSignedCopies,
    /// Open another person's full certificate.
    OpenCertificates,
    /// Keep staff records (job, department, start and leaving dates, line manager) and
    /// import them from the HR system.
    ManageStaffRecords,
    /// See the whole organisation's training: the dashboard, its CSV, anyone's training
    /// and the inspection evidence pack.
    ViewTrainingDashboard,
    /// Create the documents staff read and acknowledge, and publish their editions.
    PublishDocuments,
    /// Record briefings, record and correct anyone's training completions, and import
    /// historic completions at go-live.
    RecordTraining,
    /// Record one's own external courses with their certificates (every member of staff).
    RecordExternalCourses,
    /// Check external courses (verify or reject them), record one for someone, and open
    /// anyone's certificate file.
    VerifyTraining,
    /// Set the organisation's staff training requirements and its "due soon" days.
    ManageTrainingRequirements,
    /// See one's own training ("My training") and the training of the people below one
    /// in the line-manager chain ("My team": that follows the staff records, not a role).
    ViewOwnTraining,
    /// Be offered "My team" on the home page (line managers; administrators hold every
    /// capability). The page itself follows the line-manager relationship in the staff
    /// records: anyone with people below them sees them, and nobody sees others.
    LeadTeam,
    /// Create cohorts, choose their tutors, and enrol learners in any cohort.
    ManageCohorts,
    /// See cohorts and their learners' progress: every cohort with `ViewAllCohorts`,
    /// else the ones one teaches, whose learners one may also enrol (that follows the
    /// cohort's tutors, not the role alone).
    ViewCohorts,
    /// See every cohort of the organisation and its learners' progress.
    ViewAllCohorts,
    /// Enrol learners from a file, and change a learner's status: administrators in any
    /// cohort, tutors in the cohorts they teach (that follows the cohort's tutors).
    EnrolLearners,
}

impl Capability {
    pub const ALL: [Capability; 21] = [
        Capability::ManageUsers,
        Capability::ManageModules,
        Capability::PublishPolicies,
        Capability::EditSafeInternetContacts,
        Capability::ReadSigningReport,
        Capability::FollowUpParents,
        Capability::OpenSignedCopies,
        Capability::OpenCertificates,
        Capability::ManageStaffRecords,
        Capability::ViewTrainingDashboard,
        Capability::PublishDocuments,
        Capability::RecordTraining,
        Capability::RecordExternalCourses,
        Capability::VerifyTraining,
        Capability::ManageTrainingRequirements,
        Capability::ViewOwnTraining,
        Capability::LeadTeam,
        Capability::ManageCohorts,
        Capability::ViewCohorts,
        Capability::ViewAllCohorts,
        Capability::EnrolLearners,
    ];

    /// The roles that have this capability: the whole rule, in one place.
    pub const fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Capability::ManageUsers => &[Admin],
            Capability::ManageModules
            | Capability::PublishPolicies
            | Capability::EditSafeInternetContacts => &[Admin, Dsl],
            Capability::ReadSigningReport => &[Tutor, Dsl, People, Admin],
            Capability::FollowUpParents => &[Tutor, Dsl, Admin],
            Capability::OpenSignedCopies => &[Admin, Dsl, People, Tutor],
            Capability::OpenCertificates => &[Admin, Dsl, Tutor],
            Capability::ManageStaffRecords
            | Capability::ViewTrainingDashboard
            | Capability::PublishDocuments
            | Capability::RecordTraining => &[People, Admin],
            Capability::RecordExternalCourses => &[Tutor, Staff, Manager, People, Dsl, Admin],
            Capability::VerifyTraining | Capability::ManageTrainingRequirements => &[People, Admin],
            Capability::ViewOwnTraining => &[Tutor, Staff, Manager, People, Dsl, Admin],
            Capability::LeadTeam => &[Manager, Admin],
            Capability::ManageCohorts => &[Admin],
            Capability::ViewCohorts => &[Tutor, Dsl, People, Admin],
            Capability::ViewAllCohorts => &[Admin, Dsl, People],
            Capability::EnrolLearners => &[Tutor, Admin],
        }
    }
}

impl CurrentUser {
    /// Whether this person may do `capability` (in their own organisation).
    pub fn can(&self, capability: Capability) -> bool {
        capability.roles().iter().any(|r| self.has(*r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(roles: Vec<Role>) -> CurrentUser {
        CurrentUser {
            id: crate::ids::PersonId::from_param("u"),
            org_id: crate::ids::OrganisationId::from_param("o"),
            org_name: "Org".into(),
            email: "u@o.test".into(),
            full_name: "U Person".into(),
            roles,
        }
    }

    /// The rule, written out once more by hand: a change to the table must change this.
    #[test]
    fn each_capability_belongs_to_exactly_these_roles() {
        use Role::*;
        let expected: [(Capability, &[Role]); Capability::ALL.len()] = [
            (Capability::ManageUsers, &[Admin]),
            (Capability::ManageModules, &[Admin, Dsl]),
            (Capability::PublishPolicies, &[Admin, Dsl]),
            (Capability::EditSafeInternetContacts, &[Admin, Dsl]),
            (Capability::ReadSigningReport, &[Tutor, Dsl, People, Admin]),
            (Capability::FollowUpParents, &[Tutor, Dsl, Admin]),
            (Capability::OpenSignedCopies, &[Admin, Dsl, People, Tutor]),
            (Capability::OpenCertificates, &[Admin, Dsl, Tutor]),
            (Capability::ManageStaffRecords, &[People, Admin]),
            (Capability::ViewTrainingDashboard, &[People, Admin]),
            (Capability::PublishDocuments, &[People, Admin]),
            (Capability::RecordTraining, &[People, Admin]),
            (
                Capability::RecordExternalCourses,
                &[Tutor, Staff, Manager, People, Dsl, Admin],
            ),
            (Capability::VerifyTraining, &[People, Admin]),
            (Capability::ManageTrainingRequirements, &[People, Admin]),
            (
                Capability::ViewOwnTraining,
                &[Tutor, Staff, Manager, People, Dsl, Admin],
            ),
            (Capability::LeadTeam, &[Manager, Admin]),
            (Capability::ManageCohorts, &[Admin]),
            (Capability::ViewCohorts, &[Tutor, Dsl, People, Admin]),
            (Capability::ViewAllCohorts, &[Admin, Dsl, People]),
            (Capability::EnrolLearners, &[Tutor, Admin]),
        ];
        for (capability, roles) in expected {
            let mut got = capability.roles().to_vec();
            let mut want = roles.to_vec();
            got.sort();
            want.sort();
            assert_eq!(got, want, "{capability:?}");
        }
    }

    #[test]
    fn a_learner_can_do_none_of_the_staff_things() {
        let learner = person(vec![Role::Learner]);
        assert!(Capability::ALL.iter().all(|c| !learner.can(*c)));
    }

    #[test]
    fn the_table_says_who_does_what() {
        let dsl = person(vec![Role::Dsl]);
        assert!(dsl.can(Capability::PublishPolicies) && !dsl.can(Capability::ManageUsers));
        let people = person(vec![Role::People]);
        assert!(people.can(Capability::ReadSigningReport));
        assert!(!people.can(Capability::FollowUpParents));
        let admin = person(vec![Role::Admin]);
        assert!(Capability::ALL.iter().all(|c| admin.can(*c)));
        // Roles add up.
        let both = person(vec![Role::Learner, Role::Tutor]);
        assert!(both.can(Capability::FollowUpParents));
    }
}
