/**
 * A badge in shields.io's "flat" style: a grey label on the left, a coloured message on the right,
 * Verdana 11px (DejaVu Sans where there is no Verdana: the same widths), white text over a 1px
 * shadow. Text widths come from a table, so the SVG's size is known without a font at hand, and
 * `textLength` holds each text to that width whichever font the viewer substitutes.
 */

/** shields' named colours, so the `.json` variant and the SVG agree. */
export const BADGE_COLORS = {
  brightgreen: '#4c1',
  yellow: '#dfb317',
  red: '#e05d44',
  lightgrey: '#9f9f9f',
} as const;

export type BadgeColor = keyof typeof BADGE_COLORS;

export interface Badge {
  label: string;
  message: string;
  color: BadgeColor;
}

/** Advance widths at 11px of the printable ASCII characters (U+0020 to U+007E), measured in DejaVu Sans. */
// prettier-ignore
const ASCII_WIDTHS = [
  3.5, 4.41, 5.06, 9.22, 7, 10.45, 8.58, 3.02, 4.29, 4.29, 5.5, 9.22, 3.5, 3.97, 3.5, 3.71,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 3.71, 3.71, 9.22, 9.22, 9.22, 5.84,
  11, 7.52, 7.55, 7.68, 8.47, 6.95, 6.33, 8.52, 8.27, 3.24, 3.24, 7.21, 6.13, 9.49, 8.23, 8.66,
  6.63, 8.66, 7.64, 6.98, 6.72, 8.05, 7.52, 10.88, 7.54, 6.72, 7.54, 4.29, 3.71, 4.29, 9.22, 5.5,
  5.5, 6.74, 6.98, 6.05, 6.98, 6.77, 3.87, 6.98, 6.97, 3.06, 3.06, 6.37, 3.06, 10.72, 6.97, 6.73,
  6.98, 6.98, 4.52, 5.73, 4.31, 6.97, 6.51, 9, 6.51, 6.51, 5.77, 7, 3.71, 7, 9.22,
];

/** East Asian wide characters and emoji take about a full em; other characters an average one. */
const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u;

/** The width, in px at 11px, of `text` as the badge draws it. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) width += ASCII_WIDTHS[code - 0x20]!;
    else if (WIDE.test(char)) width += 11;
    else if (code >= 0x300 && code <= 0x36f)
      continue; // combining marks take no room
    else width += 7;
  }
  return width;
}

/**
 * Text as XML character data or attribute value: the five XML specials escaped, and characters
 * XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF) dropped, so no label can
 * end the element, open another or make the document ill-formed.
 */
export function escapeXml(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;
    if (!allowed) continue;
    out += XML_ENTITIES[char] ?? char;
  }
  return out;
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** At most this many characters of a label are drawn (a job name may have 200); the rest is "…". */
export const MAX_LABEL_LENGTH = 60;

export const truncate = (text: string): string => {
  const chars = [...text];
  return chars.length > MAX_LABEL_LENGTH
    ? `${chars.slice(0, MAX_LABEL_LENGTH - 1).join('')}…`
    : text;
};

/** Horizontal padding on each side of a text, as shields draws it. */
const PADDING = 5;

/** The badge as an SVG document (shields' flat template; its texts are drawn at 10× and scaled). */
export function badgeSvg(badge: Badge): string {
  const label = truncate(badge.label);
  const message = truncate(badge.message);
  const labelText = Math.round(textWidth(label) * 10) / 10;
  const messageText = Math.round(textWidth(message) * 10) / 10;
  const labelWidth = Math.round(labelText + 2 * PADDING);
  const messageWidth = Math.round(messageText + 2 * PADDING);
  const width = labelWidth + messageWidth;
  const title = escapeXml(`${label}: ${message}`);
  const color = BADGE_COLORS[badge.color];
  const text = (content: string, center: number, length: number) => {
    const x = Math.round(center * 10);
    const span = Math.round(length * 10);
    const escaped = escapeXml(content);
    return (
      `<text aria-hidden="true" x="${x}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${span}">${escaped}</text>` +
      `<text x="${x}" y="140" transform="scale(.1)" fill="#fff" textLength="${span}">${escaped}</text>`
    );
  };
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${labelWidth}" height="20" fill="#555"/><rect x="${labelWidth}" width="${messageWidth}" height="20" fill="${color}"/><rect width="${width}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">` +
    text(label, labelWidth / 2, labelText) +
    text(message, labelWidth + messageWidth / 2, messageText) +
    `</g></svg>`
  );
}
