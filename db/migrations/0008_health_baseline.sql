-- The baseline of health (issue 14). Jobs that existed before migration 0006 have no recorded
-- health (NULL), so the first sweep tick after the upgrade records one for every job; with 0007's
-- triggers, each whose latest run FAILED (maybe months ago) or whose schedule was overdue sent
-- job.down or job.late on deploy. A recording from NULL is a baseline, not a change: job.late and
-- job.down now fire only from a recorded health. New jobs are created with health 'new' (the
-- repositories), so a new job that is late, or whose first run fails, still notifies.
-- webhook_job_up is unchanged: it already fires only from late or down, never from NULL.
-- The run.* triggers are unchanged.
DROP TRIGGER IF EXISTS `webhook_job_late`;
--> statement-breakpoint
CREATE TRIGGER `webhook_job_late` AFTER UPDATE OF `health` ON `jobs`
WHEN OLD.health IS NOT NULL AND OLD.health IS NOT NEW.health AND NEW.health = 'late' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.late"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'job.late', NEW.id, NULL, json_object('job', json_object('id', NEW.id, 'projectId', NEW.project_id, 'key', NEW.key, 'name', NEW.name,
			'health', NEW.health, 'previousHealth', OLD.health, 'healthChangedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.health_changed_at / 1000.0, 'unixepoch'))), coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.late"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_job_down`;
--> statement-breakpoint
CREATE TRIGGER `webhook_job_down` AFTER UPDATE OF `health` ON `jobs`
WHEN OLD.health IS NOT NULL AND OLD.health IS NOT NEW.health AND NEW.health = 'down' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.down"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'job.down', NEW.id, NULL, json_object('job', json_object('id', NEW.id, 'projectId', NEW.project_id, 'key', NEW.key, 'name', NEW.name,
			'health', NEW.health, 'previousHealth', OLD.health, 'healthChangedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.health_changed_at / 1000.0, 'unixepoch'))), coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.down"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id));
END;
