DROP INDEX `job_runs_job_id_id_idx`;--> statement-breakpoint
CREATE INDEX `job_runs_job_created_idx` ON `job_runs` (`job_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `job_runs_job_status_created_idx` ON `job_runs` (`job_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `job_runs_created_idx` ON `job_runs` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `job_runs_status_created_idx` ON `job_runs` (`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `job_runs_job_started_idx` ON `job_runs` (`job_id`,`started_at`,`id`) WHERE "job_runs"."started_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `job_runs_started_idx` ON `job_runs` (`started_at`,`id`) WHERE "job_runs"."started_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `job_runs_job_finished_idx` ON `job_runs` (`job_id`,`finished_at`,`id`) WHERE "job_runs"."finished_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `job_runs_finished_idx` ON `job_runs` (`finished_at`,`id`) WHERE "job_runs"."finished_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `job_runs_job_duration_idx` ON `job_runs` (`job_id`,`duration_ms`,`id`) WHERE "job_runs"."duration_ms" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `job_runs_duration_idx` ON `job_runs` (`duration_ms`,`id`) WHERE "job_runs"."duration_ms" IS NOT NULL;--> statement-breakpoint
DROP INDEX `jobs_archived_id_idx`;--> statement-breakpoint
CREATE INDEX `jobs_archived_created_idx` ON `jobs` (`archived`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_archived_updated_idx` ON `jobs` (`archived`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_archived_name_idx` ON `jobs` (`archived`,`name`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_type_idx` ON `jobs` (`type`,`archived`);--> statement-breakpoint
CREATE INDEX `jobs_created_idx` ON `jobs` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_updated_idx` ON `jobs` (`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_name_idx` ON `jobs` (`name`,`id`);