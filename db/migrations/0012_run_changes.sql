ALTER TABLE `job_metrics` ADD `run_changes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A new run bumps its job's change counter in the upsert that counts it (one row write, as
-- before). The counter is the one home of "this job's runs changed": JobSummaryCache and the runs
-- pages' ETags (shared/run-changes.ts) compare it instead of reading the runs.
DROP TRIGGER IF EXISTS `job_metrics_run_created`;
--> statement-breakpoint
CREATE TRIGGER `job_metrics_run_created` AFTER INSERT ON `job_runs`
BEGIN
	INSERT INTO `job_metrics` (`job_id`, `created_total`, `running`, `run_changes`) VALUES (NEW.`job_id`, 1, NEW.`status` = 'RUNNING', 1)
	ON CONFLICT (`job_id`) DO UPDATE SET `created_total` = `created_total` + 1, `running` = `running` + excluded.`running`, `run_changes` = `run_changes` + 1;
END;
--> statement-breakpoint
-- Any change to a run (a transition, a heartbeat, output, metadata, the slow flag) bumps it.
CREATE TRIGGER `job_runs_changed` AFTER UPDATE ON `job_runs`
BEGIN
	UPDATE `job_metrics` SET `run_changes` = `run_changes` + 1 WHERE `job_id` = NEW.`job_id`;
END;
--> statement-breakpoint
-- So does a run's deletion (retention, a project's deletion): a window loses a run.
CREATE TRIGGER `job_runs_deleted` AFTER DELETE ON `job_runs`
BEGIN
	UPDATE `job_metrics` SET `run_changes` = `run_changes` + 1 WHERE `job_id` = OLD.`job_id`;
END;
