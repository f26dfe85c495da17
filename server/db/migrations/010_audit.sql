-- Reading the audit log (issue 10): filters by person, object and action, newest first.
-- Each index ends in id so a filtered page is read in order and stops at its limit instead of
-- sorting every match. text_pattern_ops serves both one value (=) and a prefix (LIKE 'event:%')
-- whatever the database's collation; the action index also lists the distinct actions by skip scan.
CREATE INDEX audit_log_account ON audit_log (account_id, id);
CREATE INDEX audit_log_action ON audit_log (action text_pattern_ops, id);
CREATE INDEX audit_log_target ON audit_log (target text_pattern_ops, id);
