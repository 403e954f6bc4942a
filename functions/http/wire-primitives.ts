import { z } from 'zod';

/**
 * Wire primitives every resource shares, written once: an answer's timestamp, and what counts
 * as a JSON request body.
 */

/** A timestamp in an answer: ISO 8601 in UTC with milliseconds, as the presenters write it. */
export const IsoTimestamp = z
  .string()
  .meta({ format: 'date-time', example: '2026-11-23T10:00:00.000Z' });

/** `application/json` and its `+json` kin (`application/merge-patch+json`), parameters allowed. */
export const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
