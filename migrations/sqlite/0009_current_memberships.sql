-- A person's current vessel memberships, read on every request that checks vessel reach. A
-- membership left is soft-deleted and kept, so a long-serving person (or a company with many
-- vessels) gathers rows the reach predicate must skip; without this index a planner without
-- fresh statistics walks every past membership once per vessel.
CREATE INDEX IF NOT EXISTS vessel_members_current ON vessel_members (company_id, user_id, vessel_id)
    WHERE deleted_at IS NULL;
