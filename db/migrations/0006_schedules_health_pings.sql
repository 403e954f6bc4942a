ALTER TABLE `job_runs` ADD `slow` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `schedule` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `timezone` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `grace_seconds` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `health` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `health_changed_at` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `ping_uuid` text;--> statement-breakpoint
-- Every existing job gets a random version-4 UUID for its ping URL (the service gives new jobs one).
UPDATE `jobs` SET `ping_uuid` = lower(
	hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
	substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))
) WHERE `ping_uuid` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_ping_uuid_unique` ON `jobs` (`ping_uuid`);--> statement-breakpoint
ALTER TABLE `projects` ADD `ping_key` text;--> statement-breakpoint
-- And every project a random ping key (128 bits, hex) for the slug form /ping/{pingKey}/{jobKey}.
UPDATE `projects` SET `ping_key` = lower(hex(randomblob(16))) WHERE `ping_key` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `projects_ping_key_unique` ON `projects` (`ping_key`);