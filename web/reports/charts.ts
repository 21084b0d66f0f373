/**
 * Charts drawn on the server as SVG markup, to be read by everyone: each is an image
 * (role="img") named by its <title> and described by its <desc>, with text labels on every bar,
 * colours dark enough for white text on them (4.5:1) and for the bars against the page (3:1), and
 * a pattern for each series besides its colour, so colour is never the only way to tell them apart.
 * Pure: data in, markup out. Every page shows the chart's data as a table beneath it too.
 */

export interface Series {
  key: string;
  name: string;
}

export interface StackedBarChart {
  /** Unique on the page: the prefix of the chart's element ids. */
  id: string;
  title: string;
  /** What the chart shows and its main findings, in a sentence or two. */
  description: string;
  series: Series[];
  rows: { label: string; values: Record<string, number> }[];
  /** What a row with nothing in it says instead of a bar. */
  emptyText: string;
}

export interface BarChart {
  id: string;
  title: string;
  description: string;
  /** `value` null: no bar, `valueText` says why (e.g. "No decisions yet"). */
  rows: { label: string; value: number | null; valueText: string }[];
  /** The value a full-width bar stands for; the largest value when not given. */
  max?: number;
}

/** Fills, each with at least 4.5:1 contrast against white (the labels on them, the page around them). */
export const PALETTE = ['#1d70b8', '#00703c', '#003078', '#0b6b63', '#4c2c92', '#aa2a16', '#6f4e00', '#912b88', '#505a5f'] as const;
export const TEXT_COLOUR = '#0b0c0c';
const BACKGROUND = '#ffffff';

/** A pattern per series (white marks over its colour), so series differ by more than colour. */
export const PATTERNS = ['solid', 'diagonal', 'horizontal', 'dots', 'vertical', 'back-diagonal', 'grid', 'cross-diagonal', 'dashes'] as const;
type Pattern = (typeof PATTERNS)[number];

const MARKS: Record<Pattern, string> = {
  solid: '',
  diagonal: '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4"/>',
  'back-diagonal': '<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4"/>',
  horizontal: '<path d="M0,4 h8"/>',
  vertical: '<path d="M4,0 v8"/>',
  grid: '<path d="M0,4 h8 M4,0 v8"/>',
  'cross-diagonal': '<path d="M0,0 l8,8 M8,0 l-8,8"/>',
  dots: '<circle cx="4" cy="4" r="1.5" stroke="none" fill="#fff"/>',
  dashes: '<path d="M0,2 h3 M4,6 h3"/>',
};

const WIDTH = 640;
const FONT = 16;
const SMALL = 14;
const LABEL_LINE = 22;
const BAR = 28;
const ROW_GAP = 14;
const CHAR_WIDTH = 0.6; // of the font size: a generous estimate, to decide whether a label fits
const VALUE_ROOM = 190; // room kept right of the longest bar for its value text

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const fits = (text: string, width: number, size: number) => text.length * size * CHAR_WIDTH + 8 <= width;
const round = (n: number) => Math.round(n * 10) / 10;

function frame(id: string, title: string, description: string, height: number, defs: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-size="${FONT}" fill="${TEXT_COLOUR}">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>` +
    (defs ? `<defs>${defs}</defs>` : '') +
    `<rect width="${WIDTH}" height="${height}" fill="${BACKGROUND}"/>${body}</svg>`
  );
}

function patternDef(id: string, pattern: Pattern): string {
  if (pattern === 'solid') return '';
  return `<pattern id="${id}" patternUnits="userSpaceOnUse" width="8" height="8"><g stroke="#fff" stroke-width="1.5" stroke-opacity="0.55" fill="none">${MARKS[pattern]}</g></pattern>`;
}

/** A rectangle in a series' colour and pattern. */
function swatch(chartId: string, index: number, x: number, y: number, width: number, height: number): string {
  const colour = PALETTE[index % PALETTE.length];
  const pattern = PATTERNS[index % PATTERNS.length];
  const box = `x="${round(x)}" y="${y}" width="${round(width)}" height="${height}"`;
  // A white edge parts each segment from the next, whatever their colours.
  const overlay = pattern === 'solid' ? '' : `<rect ${box} fill="url(#${chartId}-pattern-${index})"/>`;
  return `<rect ${box} fill="${colour}"/>${overlay}<rect ${box} fill="none" stroke="#fff" stroke-width="1"/>`;
}

/** A label on a bar: white, on a band of the bar's own colour so its pattern never runs through the letters. */
function onBar(text: string, x: number, y: number, colour: string): string {
  return `<text x="${round(x)}" y="${y}" text-anchor="middle" font-size="${SMALL}" font-weight="bold" fill="#fff" stroke="${colour}" stroke-width="4" paint-order="stroke">${escapeXml(text)}</text>`;
}

/**
 * Horizontal stacked bars, one per row (its label above it), a segment per series with its count
 * on it where it fits, the row's total after the bar, and a legend of every series above.
 */
export function stackedBarChart(chart: StackedBarChart): string {
  const columns = 2;
  const legendRows = Math.ceil(chart.series.length / columns);
  const legendHeight = legendRows * 26 + 12;
  const totals = chart.rows.map((row) => chart.series.reduce((sum, s) => sum + (row.values[s.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const scale = (WIDTH - VALUE_ROOM) / max;
  const defs = chart.series.map((_, i) => patternDef(`${chart.id}-pattern-${i}`, PATTERNS[i % PATTERNS.length])).join('');

  const legend = chart.series
    .map((s, i) => {
      const x = (i % columns) * (WIDTH / columns);
      const y = Math.floor(i / columns) * 26 + 4;
      return swatch(chart.id, i, x, y, 18, 18) + `<text x="${x + 26}" y="${y + 14}" font-size="${SMALL}">${escapeXml(s.name)}</text>`;
    })
    .join('');

  const rows = chart.rows
    .map((row, r) => {
      const top = legendHeight + r * (LABEL_LINE + BAR + ROW_GAP);
      const barTop = top + LABEL_LINE;
      let x = 0;
      const segments = chart.series
        .map((s, i) => {
          const count = row.values[s.key] ?? 0;
          if (count <= 0) return '';
          const width = count * scale;
          const text = String(count);
          const drawn = swatch(chart.id, i, x, barTop, width, BAR) + (fits(text, width, SMALL) ? onBar(text, x + width / 2, barTop + BAR / 2 + 5, PALETTE[i % PALETTE.length]) : '');
          x += width;
          return drawn;
        })
        .join('');
      const total = totals[r];
      const after = total > 0 ? `Total ${total}` : chart.emptyText;
      return (
        `<text x="0" y="${top + 16}" font-weight="bold">${escapeXml(row.label)}</text>` +
        segments +
        `<text x="${round(x + (total > 0 ? 8 : 0))}" y="${barTop + BAR / 2 + 6}">${escapeXml(after)}</text>`
      );
    })
    .join('');

  const height = legendHeight + chart.rows.length * (LABEL_LINE + BAR + ROW_GAP);
  return frame(chart.id, chart.title, chart.description, Math.max(height, legendHeight + 10), defs, `<g>${legend}</g><g>${rows}</g>`);
}

/** Horizontal bars, one per row (its label above it), its value in words after it. */
export function barChart(chart: BarChart): string {
  const values = chart.rows.map((row) => row.value ?? 0);
  const max = chart.max ?? Math.max(1, ...values);
  const scale = (WIDTH - VALUE_ROOM) / (max || 1);
  const rows = chart.rows
    .map((row, r) => {
      const top = r * (LABEL_LINE + BAR + ROW_GAP);
      const barTop = top + LABEL_LINE;
      const width = row.value ? Math.max(row.value * scale, 2) : 0;
      return (
        `<text x="0" y="${top + 16}" font-weight="bold">${escapeXml(row.label)}</text>` +
        (width > 0 ? swatch(chart.id, 0, 0, barTop, width, BAR) : '') +
        `<text x="${round(width + (width > 0 ? 8 : 0))}" y="${barTop + BAR / 2 + 6}">${escapeXml(row.valueText)}</text>`
      );
    })
    .join('');
  const height = Math.max(chart.rows.length * (LABEL_LINE + BAR + ROW_GAP), LABEL_LINE + BAR);
  return frame(chart.id, chart.title, chart.description, height, '', rows);
}

/** WCAG's contrast ratio of two #rrggbb colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
