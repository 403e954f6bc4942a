CREATE TABLE `webhook_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` integer NOT NULL,
	`attempt` integer NOT NULL,
	`response_status` integer,
	`error` text,
	`duration_ms` integer NOT NULL,
	`response_excerpt` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery_idx` ON `webhook_attempts` (`delivery_id`,`attempt`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`webhook_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`lease_token` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `webhook_events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`next_attempt_at`,`id`) WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `webhook_deliveries_webhook_idx` ON `webhook_deliveries` (`webhook_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uid` text NOT NULL,
	`type` text NOT NULL,
	`job_id` integer,
	`run_id` integer,
	`data` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_events_uid_unique` ON `webhook_events` (`uid`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`events` text NOT NULL,
	`project_id` integer,
	`job_id` integer,
	`secret` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`disabled_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhooks_project_idx` ON `webhooks` (`project_id`,`id`);--> statement-breakpoint
-- The outbox (issue 14): each trigger below writes an event and its deliveries inside the
-- statement that changed the run or job, so in its commit, on every driver. A trigger fires only
-- when an enabled webhook wants the event (its WHEN has the EXISTS), so with no webhooks a run
-- write costs one probe of the tiny webhooks table. Statuses are tested by equality, one trigger
-- per status, as migration 0003 learned (an IN list of constants costs an ephemeral table per
-- evaluation). The event's uid is the Standard Webhooks webhook-id of every attempt.
CREATE TRIGGER `webhook_run_created` AFTER INSERT ON `job_runs`
WHEN 1 AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.created"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
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
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_succeeded_created` AFTER INSERT ON `job_runs`
WHEN NEW.status = 'SUCCESS' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.succeeded"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
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
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_succeeded` AFTER UPDATE OF `status` ON `job_runs`
WHEN OLD.status IS NOT NEW.status AND NEW.status = 'SUCCESS' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.succeeded"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
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
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_failed_created` AFTER INSERT ON `job_runs`
WHEN NEW.status = 'FAILED' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.failed"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
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
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_failed` AFTER UPDATE OF `status` ON `job_runs`
WHEN OLD.status IS NOT NEW.status AND NEW.status = 'FAILED' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.failed"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
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
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_cancelled_created` AFTER INSERT ON `job_runs`
WHEN NEW.status = 'CANCELLED' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.cancelled"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
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
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_cancelled` AFTER UPDATE OF `status` ON `job_runs`
WHEN OLD.status IS NOT NEW.status AND NEW.status = 'CANCELLED' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.cancelled"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
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
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_run_slow` AFTER UPDATE OF `slow` ON `job_runs`
WHEN NEW.slow = 1 AND OLD.slow = 0 AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"run.slow"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.job_id)
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
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.job_id));
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_job_late` AFTER UPDATE OF `health` ON `jobs`
WHEN OLD.health IS NOT NEW.health AND NEW.health = 'late' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.late"') > 0
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
CREATE TRIGGER `webhook_job_down` AFTER UPDATE OF `health` ON `jobs`
WHEN OLD.health IS NOT NEW.health AND NEW.health = 'down' AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.down"') > 0
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
--> statement-breakpoint
CREATE TRIGGER `webhook_job_up` AFTER UPDATE OF `health` ON `jobs`
WHEN NEW.health = 'up' AND (OLD.health = 'late' OR OLD.health = 'down') AND EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.up"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id)))
BEGIN
	INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
	VALUES ('msg_' || lower(hex(randomblob(16))), 'job.up', NEW.id, NULL, json_object('job', json_object('id', NEW.id, 'projectId', NEW.project_id, 'key', NEW.key, 'name', NEW.name,
			'health', NEW.health, 'previousHealth', OLD.health, 'healthChangedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.health_changed_at / 1000.0, 'unixepoch'))), coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
	INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
	SELECT w.id, (SELECT max(id) FROM webhook_events), 'pending', 0, coalesce(NEW.health_changed_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
	FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, '"job.up"') > 0
		AND (w.job_id IS NULL OR w.job_id = NEW.id)
		AND (w.project_id IS NULL OR w.project_id = (SELECT j.project_id FROM jobs j WHERE j.id = NEW.id));
END;
