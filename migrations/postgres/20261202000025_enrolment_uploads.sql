-- A file of learners to enrol waits for its confirmation in import_uploads like every
-- import: the kinds allowed gain 'cohort-enrolment'.
ALTER TABLE import_uploads DROP CONSTRAINT import_uploads_kind_check;
ALTER TABLE import_uploads ADD CONSTRAINT import_uploads_kind_check
    CHECK (kind IN ('hr-import', 'training-backfill', 'cohort-enrolment'));
