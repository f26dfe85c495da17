-- 考评细则 as data (issue 15 point 1; S13 assessment rules, S14 star-rated stations): a rule set per
-- year and version, its items, weights, formulas and star bands in `body` (lib/contracts/assessment.ts
-- RuleSetV1, validated before it is stored). A new version starts as a draft; activating one retires
-- the year's active one, so a year has at most one active set. Versions are never edited or
-- deleted: a frozen score names the version it was computed with (issue 15 point 2).

CREATE TABLE assessment_rule_sets (
  id           serial PRIMARY KEY,
  year         integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  version      integer NOT NULL CHECK (version >= 1),
  name         text NOT NULL,
  body         jsonb NOT NULL,
  state        text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'active', 'retired')),
  -- NULL: the default set seeded at startup (server/assessment/seed.ts).
  created_by   integer REFERENCES accounts (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz,
  UNIQUE (year, version),
  CHECK (state = 'draft' OR activated_at IS NOT NULL)
);

-- One active set per year.
CREATE UNIQUE INDEX assessment_rule_sets_one_active ON assessment_rule_sets (year) WHERE state = 'active';
