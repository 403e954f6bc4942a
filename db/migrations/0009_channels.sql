ALTER TABLE `webhooks` ADD `type` text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `name` text;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `config` text;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `job_ids` text;--> statement-breakpoint
-- Notification channels (issue 24) are rows of `webhooks` with a `type` other than 'webhook', so
-- the outbox triggers already fan every event out to them in the write's own statement. What a
-- channel adds is `job_ids`, a list of jobs: each trigger is recreated as 0007/0008 left it, with
-- that one more filter in its WHEN and in its deliveries' SELECT (json_each is evaluated only for
-- a row that has a list). Nothing else in them changes.
DROP TRIGGER IF EXISTS `webhook_run_created`;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_created` AFTER INSERT ON `job_runs`
WHEN 1 AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.created"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'run.created', NEW.job_id, NEW.id, json_object('run', json_object('id', NEW.id, 'jobId', NEW.job_id, 'status', NEW.status,
			'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'), 'startedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.started_at / 1000.0, 'unixepoch'),
			'finishedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.finished_at / 1000.0, 'unixepoch'), 'durationMs', NEW.finished_at - NEW.started_at,
			'exitCode', NEW.exit_code, 'errorMessage', NEW.error_message,
			'slow', json(CASE WHEN NEW.slow THEN 'true' ELSE 'false' END)),
		'job', json((SELECT json_object('id', j.id, 'projectId', j.project_id, 'key', j.key, 'name', j.name) FROM jobs j WHERE j.id = NEW.job_id))), coalesce(NEW.created_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.created_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.created"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_run_succeeded_created`;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_succeeded_created` AFTER INSERT ON `job_runs`
WHEN NEW.status = 'SUCCESS' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.succeeded"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'run.succeeded', NEW.job_id, NEW.id, json_object('run', json_object('id', NEW.id, 'jobId', NEW.job_id, 'status', NEW.status,
			'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'), 'startedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.started_at / 1000.0, 'unixepoch'),
			'finishedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.finished_at / 1000.0, 'unixepoch'), 'durationMs', NEW.finished_at - NEW.started_at,
			'exitCode', NEW.exit_code, 'errorMessage', NEW.error_message,
			'slow', json(CASE WHEN NEW.slow THEN 'true' ELSE 'false' END)),
		'job', json((SELECT json_object('id', j.id, 'projectId', j.project_id, 'key', j.key, 'name', j.name) FROM jobs j WHERE j.id = NEW.job_id))), coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.succeeded"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_run_succeeded`;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_succeeded` AFTER UPDATE OF `status` ON `job_runs`
WHEN OLD.status IS NOT NEW.status AND NEW.status = 'SUCCESS' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.succeeded"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'run.succeeded', NEW.job_id, NEW.id, json_object('run', json_object('id', NEW.id, 'jobId', NEW.job_id, 'status', NEW.status,
			'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'), 'startedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.started_at / 1000.0, 'unixepoch'),
			'finishedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.finished_at / 1000.0, 'unixepoch'), 'durationMs', NEW.finished_at - NEW.started_at,
			'exitCode', NEW.exit_code, 'errorMessage', NEW.error_message,
			'slow', json(CASE WHEN NEW.slow THEN 'true' ELSE 'false' END)),
		'job', json((SELECT json_object('id', j.id, 'projectId', j.project_id, 'key', j.key, 'name', j.name) FROM jobs j WHERE j.id = NEW.job_id))), coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.succeeded"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_run_failed_created`;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_failed_created` AFTER INSERT ON `job_runs`
WHEN NEW.status = 'FAILED' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.failed"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'run.failed', NEW.job_id, NEW.id, json_object('run', json_object('id', NEW.id, 'jobId', NEW.job_id, 'status', NEW.status,
			'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'), 'startedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.started_at / 1000.0, 'unixepoch'),
			'finishedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.finished_at / 1000.0, 'unixepoch'), 'durationMs', NEW.finished_at - NEW.started_at,
			'exitCode', NEW.exit_code, 'errorMessage', NEW.error_message,
			'slow', json(CASE WHEN NEW.slow THEN 'true' ELSE 'false' END)),
		'job', json((SELECT json_object('id', j.id, 'projectId', j.project_id, 'key', j.key, 'name', j.name) FROM jobs j WHERE j.id = NEW.job_id))), coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.failed"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_run_failed`;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_failed` AFTER UPDATE OF `status` ON `job_runs`
WHEN OLD.status IS NOT NEW.status AND NEW.status = 'FAILED' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.failed"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'run.failed', NEW.job_id, NEW.id, json_object('run', json_object('id', NEW.id, 'jobId', NEW.job_id, 'status', NEW.status,
			'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'), 'startedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.started_at / 1000.0, 'unixepoch'),
			'finishedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.finished_at / 1000.0, 'unixepoch'), 'durationMs', NEW.finished_at - NEW.started_at,
			'exitCode', NEW.exit_code, 'errorMessage', NEW.error_message,
			'slow', json(CASE WHEN NEW.slow THEN 'true' ELSE 'false' END)),
		'job', json((SELECT json_object('id', j.id, 'projectId', j.project_id, 'key', j.key, 'name', j.name) FROM jobs j WHERE j.id = NEW.job_id))), coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.failed"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_run_cancelled_created`;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_cancelled_created` AFTER INSERT ON `job_runs`
WHEN NEW.status = 'CANCELLED' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.cancelled"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'run.cancelled', NEW.job_id, NEW.id, json_object('run', json_object('id', NEW.id, 'jobId', NEW.job_id, 'status', NEW.status,
			'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'), 'startedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.started_at / 1000.0, 'unixepoch'),
			'finishedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.finished_at / 1000.0, 'unixepoch'), 'durationMs', NEW.finished_at - NEW.started_at,
			'exitCode', NEW.exit_code, 'errorMessage', NEW.error_message,
			'slow', json(CASE WHEN NEW.slow THEN 'true' ELSE 'false' END)),
		'job', json((SELECT json_object('id', j.id, 'projectId', j.project_id, 'key', j.key, 'name', j.name) FROM jobs j WHERE j.id = NEW.job_id))), coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.cancelled"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_run_cancelled`;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_cancelled` AFTER UPDATE OF `status` ON `job_runs`
WHEN OLD.status IS NOT NEW.status AND NEW.status = 'CANCELLED' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.cancelled"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'run.cancelled', NEW.job_id, NEW.id, json_object('run', json_object('id', NEW.id, 'jobId', NEW.job_id, 'status', NEW.status,
			'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'), 'startedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.started_at / 1000.0, 'unixepoch'),
			'finishedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.finished_at / 1000.0, 'unixepoch'), 'durationMs', NEW.finished_at - NEW.started_at,
			'exitCode', NEW.exit_code, 'errorMessage', NEW.error_message,
			'slow', json(CASE WHEN NEW.slow THEN 'true' ELSE 'false' END)),
		'job', json((SELECT json_object('id', j.id, 'projectId', j.project_id, 'key', j.key, 'name', j.name) FROM jobs j WHERE j.id = NEW.job_id))), coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.cancelled"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_run_slow`;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_slow` AFTER UPDATE OF `slow` ON `job_runs`
WHEN NEW.slow = 1 AND OLD.slow = 0 AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.slow"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'run.slow', NEW.job_id, NEW.id, json_object('run', json_object('id', NEW.id, 'jobId', NEW.job_id, 'status', NEW.status,
			'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'), 'startedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.started_at / 1000.0, 'unixepoch'),
			'finishedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.finished_at / 1000.0, 'unixepoch'), 'durationMs', NEW.finished_at - NEW.started_at,
			'exitCode', NEW.exit_code, 'errorMessage', NEW.error_message,
			'slow', json(CASE WHEN NEW.slow THEN 'true' ELSE 'false' END)),
		'job', json((SELECT json_object('id', j.id, 'projectId', j.project_id, 'key', j.key, 'name', j.name) FROM jobs j WHERE j.id = NEW.job_id))), coalesce(null, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(null, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.slow"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.job_id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_job_late`;
--> statement-breakpoint
CREATE TRIGGER `webhook_job_late` AFTER UPDATE OF `health` ON `jobs`
WHEN OLD.health IS NOT NULL AND OLD.health IS NOT NEW.health AND NEW.health = 'late' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.late"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'job.late', NEW.id, NULL, json_object('job', json_object('id', NEW.id, 'projectId', NEW.project_id, 'key', NEW.key, 'name', NEW.name,
			'health', NEW.health, 'previousHealth', OLD.health, 'healthChangedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.health_changed_at / 1000.0, 'unixepoch'))), coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.late"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_job_down`;
--> statement-breakpoint
CREATE TRIGGER `webhook_job_down` AFTER UPDATE OF `health` ON `jobs`
WHEN OLD.health IS NOT NULL AND OLD.health IS NOT NEW.health AND NEW.health = 'down' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.down"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'job.down', NEW.id, NULL, json_object('job', json_object('id', NEW.id, 'projectId', NEW.project_id, 'key', NEW.key, 'name', NEW.name,
			'health', NEW.health, 'previousHealth', OLD.health, 'healthChangedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.health_changed_at / 1000.0, 'unixepoch'))), coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.down"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `webhook_job_up`;
--> statement-breakpoint
CREATE TRIGGER `webhook_job_up` AFTER UPDATE OF `health` ON `jobs`
WHEN NEW.health = 'up' AND (OLD.health = 'late' OR OLD.health = 'down') AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.up"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'job.up', NEW.id, NULL, json_object('job', json_object('id', NEW.id, 'projectId', NEW.project_id, 'key', NEW.key, 'name', NEW.name,
			'health', NEW.health, 'previousHealth', OLD.health, 'healthChangedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.health_changed_at / 1000.0, 'unixepoch'))), coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.up"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.job_ids IS NULL OR EXISTS (SELECT 1 FROM json_each(w.job_ids) WHERE json_each.value = NEW.id))
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id));
END;
