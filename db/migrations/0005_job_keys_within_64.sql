-- Migration 0004 suffixed the younger of two jobs that derived the same key with '__<id>', which
-- takes a 60- to 64-character key past the 64 a key may have (and the by-key routes accept).
-- Those keys are cut back to fit: the base is shortened and the '__<id>' kept. Every key with '__'
-- ends in its own job's id (derived keys never contain '__'), so the results stay unique.
UPDATE `jobs` SET `key` = substr(`key`, 1, 64 - length('__' || `id`)) || '__' || `id`
WHERE length(`key`) > 64;
