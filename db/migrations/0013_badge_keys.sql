-- Status badges (issue 27). No project gets a badge key here: SQLite cannot compute the SHA-256
-- the badge URL is looked up by, and a project serves badges only once an admin turns them on
-- (POST /api/projects/{id}/badge-key), so upgrading exposes nothing new.
ALTER TABLE `projects` ADD `badge_key` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `badge_key_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `projects_badge_key_hash_unique` ON `projects` (`badge_key_hash`);
