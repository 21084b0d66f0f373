import { expect } from 'chai';
import {
  bundleTag,
  coverLines,
  footerPlacement,
  footerText,
  indexEntryLines,
  layoutIndex,
  mayFetchBundle,
  NO_DOCUMENTS,
  paginate,
  startPages,
  wrapText,
  type BundleCover,
  type BundleDocument,
  type Inclusion,
} from '../../domain/bundle';
import { ROLES } from '../../domain/appeal';
import { heldAlready } from '../../api/documents/service';

const cover: BundleCover = { reference: 'MA-2026-00042', proposedMutual: 'Passport Services Mutual', parentBody: 'HM Passport Office', department: 'HO', hearing: null };

const documentNumbered = (n: number, change: Partial<BundleDocument> = {}): BundleDocument => ({
  id: `doc-${n}`,
  title: `Exhibit ${n}`,
  category: 'Business case',
  uploader: 'Caseworker',
  uploadedAt: '5 March 2027 at 10:00am',
  sha256: String(n).repeat(64).slice(0, 64),
  supersedes: null,
  ...change,
});

/** A line fits when it has at most `width` characters. */
const upTo = (width: number) => (line: string) => line.length <= width;

describe('the hearing bundle', () => {
  it('is for the caseworker and the arbiter (scoping makes them the assigned one), no one else', () => {
    expect(ROLES.filter(mayFetchBundle)).to.deep.equal(['caseworker', 'arbiter']);
  });

  it('numbers every page "Bundle page N of M"', () => {
    expect(footerText(1, 12)).to.equal('Bundle page 1 of 12');
    expect(footerText(12, 12)).to.equal('Bundle page 12 of 12');
  });

  describe('the cover', () => {
    it('names the appeal, both parties and the hearing, or says it is not scheduled', () => {
      const lines = coverLines({ ...cover, hearing: '5 March 2027 at 10:00am, Room 101' }, [{ pages: 2 }, { notIncluded: 'PNG image' }]);
      expect(lines).to.include.members(['Appeal MA-2026-00042', 'Proposed mutual: Passport Services Mutual', 'Parent body: HM Passport Office', 'Hearing: 5 March 2027 at 10:00am, Room 101']);
      expect(lines).to.include('Documents: 2 (1 merged in after the index, 1 listed with its SHA-256 only)');
      expect(coverLines(cover, [{ pages: 1 }, { pages: 4 }])).to.include('Documents: 2 (2 merged in after the index)');
      expect(coverLines(cover, [])).to.include.members(['Hearing: not scheduled yet', NO_DOCUMENTS]);
    });
  });

  describe('an index entry', () => {
    it("says the document's title, category, uploader's role, date, SHA-256 and the page it starts on", () => {
      const documents = [documentNumbered(1)];
      expect(indexEntryLines(documents, 0, { pages: 3 }, 4)).to.deep.equal([
        '1. Exhibit 1',
        'Category: Business case',
        'Added by: Caseworker, 5 March 2027 at 10:00am',
        `SHA-256: ${'1'.repeat(64)}`,
        'Page 4 (3 pages)',
      ]);
      expect(indexEntryLines(documents, 0, { pages: 1 }, 9)).to.include('Page 9 (1 page)');
    });

    it('says why a document is not included instead of a page', () => {
      expect(indexEntryLines([documentNumbered(1)], 0, { notIncluded: 'PNG image' }, null)).to.include('Not included: PNG image');
    });

    it('marks a superseded document with its new versions, and a new version with the one it replaces', () => {
      const documents = [documentNumbered(1), documentNumbered(2, { supersedes: 'doc-1' }), documentNumbered(3), documentNumbered(4, { supersedes: 'doc-1' }), documentNumbered(5, { supersedes: 'doc-3' })];
      expect(indexEntryLines(documents, 0, { pages: 1 }, 3)).to.include('Superseded by documents 2, 4');
      expect(indexEntryLines(documents, 1, { pages: 1 }, 4)).to.include('A new version of document 1').and.not.include.members(['Superseded by documents 2, 4']);
      expect(indexEntryLines(documents, 2, { pages: 1 }, 5)).to.include('Superseded by document 5');
      expect(indexEntryLines(documents, 4, { pages: 1 }, 7).join('\n')).to.not.match(/Superseded/);
    });
  });

  describe('page arithmetic', () => {
    it('starts the documents after the cover and the index, in order, skipping those only listed', () => {
      const inclusions: Inclusion[] = [{ pages: 2 }, { notIncluded: 'PNG image' }, { pages: 1 }, { pages: 5 }];
      expect(startPages(1, inclusions)).to.deep.equal({ starts: [3, null, 5, 6], total: 10 });
      expect(startPages(3, inclusions)).to.deep.equal({ starts: [5, null, 7, 8], total: 12 });
      expect(startPages(1, [])).to.deep.equal({ starts: [], total: 2 });
    });

    it('keeps each block of lines whole on a page, starting a page when the next block would not fit', () => {
      expect(paginate([['a', 'b'], ['c', 'd'], ['e']], 4)).to.deep.equal([[['a', 'b'], ['c', 'd']], [['e']]]);
      expect(paginate([['a', 'b', 'c'], ['d', 'e']], 4)).to.deep.equal([[['a', 'b', 'c']], [['d', 'e']]]);
      expect(paginate([['a', 'b', 'c', 'd', 'e']], 4), 'a block taller than a page still gets one').to.deep.equal([[['a', 'b', 'c', 'd', 'e']]]);
      expect(paginate([], 4)).to.deep.equal([[]]);
    });

    it('lays out an index over as many pages as it needs, the page numbers counting them', () => {
      const documents = Array.from({ length: 30 }, (_, n) => documentNumbered(n + 1));
      const inclusions: Inclusion[] = documents.map(() => ({ pages: 2 }));
      // Each entry is 5 lines and a blank one: two entries a page of 12 lines, so fifteen index pages.
      const layout = layoutIndex(documents, inclusions, upTo(90), 12);
      expect(layout.pages).to.have.length(15);
      expect(layout.starts[0]).to.equal(17);
      expect(layout.starts[29]).to.equal(17 + 29 * 2);
      expect(layout.total).to.equal(1 + 15 + 60);
      expect(layout.pages[14]).to.include('Page 75 (2 pages)');
      expect(layout.pages.every((page) => page.length <= 12)).to.equal(true);
    });

    it('says so when there are no documents, on one index page', () => {
      const layout = layoutIndex([], [], upTo(90), 16);
      expect(layout).to.deep.equal({ pages: [[NO_DOCUMENTS]], starts: [], total: 2 });
    });

    it('wraps a long title onto lines that fit, and counts them', () => {
      const documents = [documentNumbered(1, { title: 'A very long title that goes on' })];
      const layout = layoutIndex(documents, [{ pages: 1 }], upTo(70), 40);
      expect(layout.pages[0].slice(0, 3)).to.deep.equal(['1. A very long title that goes on', 'Category: Business case', 'Added by: Caseworker, 5 March 2027 at 10:00am']);
      const narrow = layoutIndex(documents, [{ pages: 1 }], upTo(12), 40);
      expect(narrow.pages[0].every((line) => line.length <= 12)).to.equal(true);
      expect(narrow.pages[0].join(' ')).to.contain('1. A very long title that goes on');
    });
  });

  describe('wrapping text', () => {
    it('breaks at spaces, and inside a word too long for a line', () => {
      expect(wrapText('one two three four', upTo(9))).to.deep.equal(['one two', 'three', 'four']);
      expect(wrapText('abcdefghij k', upTo(4))).to.deep.equal(['abcd', 'efgh', 'ij k']);
      expect(wrapText('', upTo(4))).to.deep.equal(['']);
      expect(wrapText('x', () => false), 'a line nothing fits on still ends').to.deep.equal(['x']);
    });
  });

  describe('the footer on a page the reader sees turned', () => {
    const frame = { x: 0, y: 0, width: 600, height: 800 };
    it('sits centred at the bottom of an upright page', () => {
      expect(footerPlacement({ ...frame, rotation: 0 }, 100, 20)).to.deep.equal({ x: 250, y: 20, angle: 0 });
    });
    it('goes on the edge that is shown at the bottom, turned to read level', () => {
      expect(footerPlacement({ ...frame, rotation: 90 }, 100, 20)).to.deep.equal({ x: 580, y: 350, angle: 90 });
      expect(footerPlacement({ ...frame, rotation: 180 }, 100, 20)).to.deep.equal({ x: 350, y: 780, angle: 180 });
      expect(footerPlacement({ ...frame, rotation: -90 }, 100, 20)).to.deep.equal({ x: 20, y: 450, angle: 270 });
    });
    it('measures from where the visible box is', () => {
      expect(footerPlacement({ x: 10, y: 30, width: 600, height: 800, rotation: 0 }, 100, 20)).to.deep.equal({ x: 260, y: 50, angle: 0 });
    });
  });

  describe('the ETag', () => {
    it('is the same for the same cover and documents, and changes with anything the bundle says', () => {
      const documents = [documentNumbered(1), documentNumbered(2)];
      const tag = bundleTag(cover, documents);
      expect(tag).to.match(/^"[\w-]{43}"$/);
      expect(bundleTag({ ...cover }, documents.map((d) => ({ ...d })))).to.equal(tag);
      expect(bundleTag(cover, [documents[0]])).to.not.equal(tag);
      expect(bundleTag(cover, [documents[0], { ...documents[1], sha256: 'f'.repeat(64) }])).to.not.equal(tag);
      expect(bundleTag({ ...cover, hearing: '5 March 2027 at 10:00am, Room 101' }, documents)).to.not.equal(tag);
    });
  });

  describe('a conditional request', () => {
    const tag = '"abc"';
    it('is answered 304 when If-None-Match names the ETag, weakly or among others, or is *', () => {
      expect(heldAlready(tag, tag)).to.equal(true);
      expect(heldAlready('W/"abc"', tag)).to.equal(true);
      expect(heldAlready('"x", "abc"', tag)).to.equal(true);
      expect(heldAlready('*', tag)).to.equal(true);
    });
    it('is not when it names another, or nothing', () => {
      expect(heldAlready('"abd"', tag)).to.equal(false);
      expect(heldAlready('abc', tag)).to.equal(false);
      expect(heldAlready(undefined, tag)).to.equal(false);
      expect(heldAlready('', tag)).to.equal(false);
    });
  });
});
