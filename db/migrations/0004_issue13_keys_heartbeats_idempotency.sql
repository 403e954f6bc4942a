CREATE TABLE `idempotency_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`principal` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` integer,
	`body` text,
	`resource_id` integer,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `idempotency_keys_principal_key_unique` ON `idempotency_keys` (`principal`,`key`);--> statement-breakpoint
CREATE INDEX `idempotency_keys_expires_idx` ON `idempotency_keys` (`expires_at`);--> statement-breakpoint
ALTER TABLE `job_runs` ADD `exit_code` integer;--> statement-breakpoint
ALTER TABLE `job_runs` ADD `output` text;--> statement-breakpoint
ALTER TABLE `job_runs` ADD `last_heartbeat_at` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `key` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `heartbeat_timeout_seconds` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `max_duration_seconds` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `pending_timeout_seconds` integer;--> statement-breakpoint
-- Every existing job gets a key derived from its name, as the service derives one: lowercase, spaces
-- to '-'. A name that gives no valid slug (other characters, longer than 64, or a '__' in it) gets
-- 'job-<id>'. When two jobs of a project derive the same key, the oldest keeps it and the others
-- get '<key>__<id>': derived keys never contain '__', so those suffixed keys cannot collide with
-- any other, and the unique index below always builds.
UPDATE `jobs` SET `key` = CASE
	WHEN length(replace(lower(trim(`name`)), ' ', '-')) BETWEEN 1 AND 64
		AND replace(lower(trim(`name`)), ' ', '-') NOT GLOB '*[^a-z0-9_-]*'
		AND instr(replace(lower(trim(`name`)), ' ', '-'), '__') = 0
	THEN replace(lower(trim(`name`)), ' ', '-')
	ELSE 'job-' || `id`
END;--> statement-breakpoint
UPDATE `jobs` SET `key` = `key` || '__' || `id`
WHERE `id` IN (
	SELECT `id` FROM (
		SELECT `id`, row_number() OVER (PARTITION BY `project_id`, `key` ORDER BY `id`) AS `rank` FROM `jobs`
	) WHERE `rank` > 1
);--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_project_key_unique` ON `jobs` (`project_id`,`key`);