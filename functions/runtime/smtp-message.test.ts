import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMessage } from './smtp-message.js';

/** The Workers client's message, read back by mailparser as a mail client would read it. */
describe('composeMessage', () => {
  const from = { name: 'Ops, "ChronoTrack"', address: 'ct@example.com' };
  const mail = {
    to: ['ops@example.com', 'oncall@example.com'],
    subject: `[ChronoTrack] FAILED: Sauvegarde nocturne — été ${'ü'.repeat(40)} 🚨`,
    text: `.starts with a dot\nline 2\n${'x'.repeat(2000)}\n.\nend`,
    html: '<p>été</p>',
  };

  it('round-trips a non-ASCII subject and name, both parts, and lines that start with a dot', async () => {
    const raw = composeMessage(mail, from, new Date('2026-12-01T03:00:00Z'), 'id-1');
    for (const line of raw.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(998);
      expect(line.startsWith('.')).toBe(false);
    }
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.from?.value).toEqual([{ name: from.name, address: from.address }]);
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value.map((a) => a.address)).toEqual(
      mail.to,
    );
    expect(parsed.text?.replace(/\n$/, '')).toBe(mail.text);
    expect(parsed.html).toBe(mail.html);
    expect(parsed.messageId).toBe('<id-1@example.com>');
    expect(parsed.date?.toISOString()).toBe('2026-12-01T03:00:00.000Z');
  });

  it('refuses a header with a line break (no header injection through a recipient)', () => {
    expect(() =>
      composeMessage(
        { ...mail, to: ['a@example.com\r\nBcc: x@evil.test'] },
        from,
        new Date(),
        'id',
      ),
    ).toThrow(/line break/);
  });
});
