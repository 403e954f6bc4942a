CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hash` text NOT NULL,
	`prefix` text NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`project_id` integer,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "api_keys_scope_check" CHECK("api_keys"."scope" IN ('read', 'write', 'admin'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_name_unique` ON `projects` (`name`);--> statement-breakpoint
ALTER TABLE `jobs` ADD `project_id` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `jobs_project_idx` ON `jobs` (`project_id`,`id`);--> statement-breakpoint
-- Every existing job (project_id DEFAULT 1) lands in the `default` project.
INSERT INTO `projects` (`id`, `name`, `created_at`) VALUES (1, 'default', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
