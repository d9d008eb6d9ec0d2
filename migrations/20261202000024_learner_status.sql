-- Where a learner is in their programme, beyond "active": a break in learning runs from
-- break_from to break_to (calendar days, inclusive) and moves their due day on by its
-- length; withdrawn and completed learners stay listed but are left out of the totals,
-- of "behind" and of nudges. The last break's days are kept after it ends.
-- Same portable SQL as the foundation.
ALTER TABLE learner_records ADD COLUMN break_from TEXT;
ALTER TABLE learner_records ADD COLUMN break_to TEXT;

-- The provider's own reference for the learner (a ULN or a student number), as imported.
ALTER TABLE learner_records ADD COLUMN reference TEXT;
