import { expect } from 'chai';
import { barChart, contrastRatio, escapeXml, PALETTE, PATTERNS, stackedBarChart, TEXT_COLOUR } from '../../web/reports/charts';

const series = [
  { key: 'open', name: 'Open' },
  { key: 'won', name: 'Won <overruled>' },
  { key: 'lost', name: 'Lost' },
];
const stacked = () =>
  stackedBarChart({
    id: 'chart-x',
    title: 'Appeals & outcomes',
    description: 'Three departments; "HO" has the most.',
    series,
    rows: [
      { label: 'Home Office (HO)', values: { open: 6, won: 3, lost: 1 } },
      { label: 'Justice (MOJ)', values: { open: 5, won: 0, lost: 0 } },
      { label: 'Education (DFE)', values: { open: 0, won: 0, lost: 0 } },
    ],
    emptyText: 'No appeals',
  });

/** The attributes of each element named `tag`, in order. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map(([, attrs]) => Object.fromEntries([...attrs.matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v])));
}
const texts = (svg: string) => [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map(([, text]) => text);

describe('reports: charts drawn as accessible SVG', () => {
  it('is an image named by its title and described by its desc, both escaped', () => {
    const svg = stacked();
    const [root] = elements(svg, 'svg');
    expect(root).to.include({ role: 'img', 'aria-labelledby': 'chart-x-title chart-x-desc' });
    expect(svg).to.include('<title id="chart-x-title">Appeals &amp; outcomes</title>');
    expect(svg).to.include('<desc id="chart-x-desc">Three departments; &quot;HO&quot; has the most.</desc>');
    expect(svg).to.not.match(/<[^>]*<overruled>/);
    expect(svg).to.include('Won &lt;overruled&gt;');
  });

  it('labels every row, every series in a legend, each segment with its count where it fits, and each total', () => {
    const labels = texts(stacked());
    expect(labels).to.include.members(['Home Office (HO)', 'Justice (MOJ)', 'Education (DFE)', 'Open', 'Won &lt;overruled&gt;', 'Lost']);
    expect(labels).to.include.members(['6', '3', 'Total 10', 'Total 5', 'No appeals']);
  });

  it('draws segments in proportion, the longest bar leaving room for its total', () => {
    const bars = elements(stacked(), 'rect').filter((r) => PALETTE.includes(r.fill as (typeof PALETTE)[number]) && Number(r.height) > 20);
    const [open, won, lost, justice] = bars.map((r) => Number(r.width));
    expect(bars).to.have.length(4);
    expect(open / won).to.be.closeTo(2, 0.01);
    expect(won / lost).to.be.closeTo(3, 0.01);
    expect(justice / open).to.be.closeTo(5 / 6, 0.01);
    const [root] = elements(stacked(), 'svg');
    expect(open + won + lost).to.be.at.most(Number(root.width) - 150);
  });

  it('tells series apart by pattern as well as colour: each its own, in the legend and on the bars', () => {
    expect(new Set(PATTERNS).size).to.equal(PATTERNS.length);
    expect(new Set(PALETTE).size).to.equal(PALETTE.length);
    const svg = stacked();
    const patterns = elements(svg, 'pattern').map((p) => p.id);
    expect(patterns).to.deep.equal(['chart-x-pattern-1', 'chart-x-pattern-2']); // the first series is solid
    for (const id of patterns) expect(svg.match(new RegExp(`fill="url\\(#${id}\\)"`, 'g'))?.length, id).to.be.at.least(2);
  });

  it('has contrast: white labels on every fill (4.5:1), every fill against the page (3:1), the text on the page', () => {
    for (const colour of PALETTE) {
      expect(contrastRatio(colour, '#ffffff'), colour).to.be.at.least(4.5);
    }
    expect(contrastRatio(TEXT_COLOUR, '#ffffff')).to.be.at.least(7);
    expect(contrastRatio('#000000', '#ffffff')).to.be.closeTo(21, 0.01);
  });

  it('draws single bars against a fixed maximum, and says why a row has none', () => {
    const svg = barChart({
      id: 'rate',
      title: 'Overrule rate',
      description: 'Half of all decisions overruled the managers.',
      max: 100,
      rows: [
        { label: 'All departments', value: 50, valueText: '50% (1 of 2)' },
        { label: 'Home Office (HO)', value: 100, valueText: '100% (1 of 1)' },
        { label: 'Justice (MOJ)', value: null, valueText: 'No decisions yet' },
      ],
    });
    const bars = elements(svg, 'rect').filter((r) => r.fill === PALETTE[0]);
    expect(bars).to.have.length(2);
    expect(Number(bars[1].width) / Number(bars[0].width)).to.be.closeTo(2, 0.01);
    expect(texts(svg)).to.include.members(['All departments', '50% (1 of 2)', 'No decisions yet']);
  });

  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">&'`)).to.equal('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
});
