CREATE TABLE `job_metrics` (
	`job_id` integer PRIMARY KEY NOT NULL,
	`created_total` integer DEFAULT 0 NOT NULL,
	`success_total` integer DEFAULT 0 NOT NULL,
	`failed_total` integer DEFAULT 0 NOT NULL,
	`cancelled_total` integer DEFAULT 0 NOT NULL,
	`running` integer DEFAULT 0 NOT NULL,
	`le_1` integer DEFAULT 0 NOT NULL,
	`le_5` integer DEFAULT 0 NOT NULL,
	`le_15` integer DEFAULT 0 NOT NULL,
	`le_30` integer DEFAULT 0 NOT NULL,
	`le_60` integer DEFAULT 0 NOT NULL,
	`le_300` integer DEFAULT 0 NOT NULL,
	`le_900` integer DEFAULT 0 NOT NULL,
	`le_1800` integer DEFAULT 0 NOT NULL,
	`le_3600` integer DEFAULT 0 NOT NULL,
	`le_7200` integer DEFAULT 0 NOT NULL,
	`le_21600` integer DEFAULT 0 NOT NULL,
	`le_43200` integer DEFAULT 0 NOT NULL,
	`le_86400` integer DEFAULT 0 NOT NULL,
	`duration_count` integer DEFAULT 0 NOT NULL,
	`duration_sum_ms` integer DEFAULT 0 NOT NULL,
	`last_success_at` integer,
	`last_failure_at` integer,
	`last_finished_at` integer,
	`last_finished_status` text,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);

--> statement-breakpoint
-- Counters for the runs that already exist, before the triggers below keep them current.
-- A run's duration is finished_at - started_at (duration_ms); runs finished without starting
-- (PENDING -> CANCELLED) count as finished but have no duration, so the histogram skips them.
INSERT INTO `job_metrics` (`job_id`, `created_total`, `success_total`, `failed_total`, `cancelled_total`, `running`, `le_1`, `le_5`, `le_15`, `le_30`, `le_60`, `le_300`, `le_900`, `le_1800`, `le_3600`, `le_7200`, `le_21600`, `le_43200`, `le_86400`, `duration_count`, `duration_sum_ms`, `last_success_at`, `last_failure_at`, `last_finished_at`, `last_finished_status`)
SELECT `job_id`, count(*),
	sum(`status` = 'SUCCESS'), sum(`status` = 'FAILED'), sum(`status` = 'CANCELLED'), sum(`status` = 'RUNNING'),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 1000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 5000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 15000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 30000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 60000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 300000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 900000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 1800000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 3600000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 7200000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 21600000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 43200000), 0),
	coalesce(sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` <= 86400000), 0),
	sum(`status` IN ('SUCCESS', 'FAILED', 'CANCELLED') AND `duration_ms` IS NOT NULL),
	coalesce(sum(CASE WHEN `status` IN ('SUCCESS', 'FAILED', 'CANCELLED') THEN `duration_ms` END), 0),
	max(CASE WHEN `status` = 'SUCCESS' THEN `finished_at` END),
	max(CASE WHEN `status` = 'FAILED' THEN `finished_at` END),
	max(CASE WHEN `status` IN ('SUCCESS', 'FAILED', 'CANCELLED') THEN `finished_at` END),
	(SELECT `last`.`status` FROM `job_runs` `last` WHERE `last`.`job_id` = `job_runs`.`job_id` AND `last`.`finished_at` IS NOT NULL ORDER BY `last`.`finished_at` DESC, `last`.`id` DESC LIMIT 1)
FROM `job_runs` GROUP BY `job_id`;
--> statement-breakpoint
-- A new run: one upsert of its job's row, inside the INSERT that creates it (so in its commit).
-- The API creates runs PENDING or RUNNING only; a terminal status is counted by the trigger
-- below when the run gets there.
CREATE TRIGGER `job_metrics_run_created` AFTER INSERT ON `job_runs`
BEGIN
	INSERT INTO `job_metrics` (`job_id`, `created_total`, `running`) VALUES (NEW.`job_id`, 1, NEW.`status` = 'RUNNING')
	ON CONFLICT (`job_id`) DO UPDATE SET `created_total` = `created_total` + 1, `running` = `running` + excluded.`running`;
END;
--> statement-breakpoint
-- A run starts (PENDING -> RUNNING): one UPDATE of its job's row, inside the UPDATE that changes
-- the run. Two triggers with exclusive WHEN clauses, so each transition fires exactly one.
CREATE TRIGGER `job_metrics_run_started` AFTER UPDATE OF `status` ON `job_runs`
WHEN OLD.`status` IS NOT NEW.`status` AND NEW.`status` = 'RUNNING'
BEGIN
	UPDATE `job_metrics` SET `running` = `running` + 1 WHERE `job_id` = NEW.`job_id`;
END;
--> statement-breakpoint
-- A run finishes (SUCCESS, FAILED or CANCELLED): one UPDATE of its job's row. The body knows the
-- status is final, so it tests no status list: an `IN (...)` of constants costs SQLite an
-- ephemeral table per evaluation, and 15 of them made every finishing write 6x slower. A run
-- cancelled before it started has no started_at, so no duration: the NULL difference counts in
-- no bucket. The "last finished" run is the one with the latest finished_at, whatever order runs
-- report in. (Every SET expression reads the row as it was before this UPDATE.)
CREATE TRIGGER `job_metrics_run_finished` AFTER UPDATE OF `status` ON `job_runs`
WHEN OLD.`status` IS NOT NEW.`status` AND NEW.`status` <> 'RUNNING' AND NEW.`status` <> 'PENDING'
BEGIN
	UPDATE `job_metrics` SET
		`running` = `running` - (OLD.`status` = 'RUNNING'),
		`success_total` = `success_total` + (NEW.`status` = 'SUCCESS'),
		`failed_total` = `failed_total` + (NEW.`status` = 'FAILED'),
		`cancelled_total` = `cancelled_total` + (NEW.`status` = 'CANCELLED'),
		`le_1` = `le_1` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 1000, 0),
		`le_5` = `le_5` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 5000, 0),
		`le_15` = `le_15` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 15000, 0),
		`le_30` = `le_30` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 30000, 0),
		`le_60` = `le_60` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 60000, 0),
		`le_300` = `le_300` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 300000, 0),
		`le_900` = `le_900` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 900000, 0),
		`le_1800` = `le_1800` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 1800000, 0),
		`le_3600` = `le_3600` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 3600000, 0),
		`le_7200` = `le_7200` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 7200000, 0),
		`le_21600` = `le_21600` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 21600000, 0),
		`le_43200` = `le_43200` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 43200000, 0),
		`le_86400` = `le_86400` + coalesce((NEW.`finished_at` - NEW.`started_at`) <= 86400000, 0),
		`duration_count` = `duration_count` + ((NEW.`finished_at` - NEW.`started_at`) IS NOT NULL),
		`duration_sum_ms` = `duration_sum_ms` + coalesce((NEW.`finished_at` - NEW.`started_at`), 0),
		`last_success_at` = CASE WHEN NEW.`status` = 'SUCCESS' THEN max(coalesce(`last_success_at`, NEW.`finished_at`), NEW.`finished_at`) ELSE `last_success_at` END,
		`last_failure_at` = CASE WHEN NEW.`status` = 'FAILED' THEN max(coalesce(`last_failure_at`, NEW.`finished_at`), NEW.`finished_at`) ELSE `last_failure_at` END,
		`last_finished_status` = CASE WHEN NEW.`finished_at` >= coalesce(`last_finished_at`, NEW.`finished_at`) THEN NEW.`status` ELSE `last_finished_status` END,
		`last_finished_at` = max(coalesce(`last_finished_at`, NEW.`finished_at`), NEW.`finished_at`)
	WHERE `job_id` = NEW.`job_id`;
END;
