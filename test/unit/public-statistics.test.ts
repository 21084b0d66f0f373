import { expect } from 'chai';
import {
  csvField,
  percentile,
  quarterOf,
  quartersBetween,
  quartersOfYear,
  shapeStatistics,
  stageEndedBy,
  statisticsCsv,
  STATISTICS_COLUMNS,
  type CountRow,
  type StatisticsInput,
} from '../../domain/public-statistics';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-11-29T10:00:00Z');

function input(overrides: Partial<StatisticsInput> = {}): StatisticsInput {
  return {
    quarters: quartersBetween(at('2026-07-01T00:00:00+01:00'), NOW),
    departments: [
      { code: 'MOJ', name: 'Justice' },
      { code: 'HO', name: 'Home Office' },
    ],
    counts: [],
    decisions: [],
    filter: {},
    now: NOW,
    ...overrides,
  };
}

describe('public statistics: percentiles', () => {
  it('takes the median of odd and even lists, the mean of the middle two for an even one', () => {
    expect(percentile([3, 1, 2], 0.5)).to.equal(2);
    expect(percentile([4, 1, 2, 3], 0.5)).to.equal(2.5);
    expect(percentile([7], 0.5)).to.equal(7);
  });

  it('interpolates the 90th percentile between the closest ranks, to one decimal place', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).to.equal(9.1);
    expect(percentile([5, 1], 0.9)).to.equal(4.6);
    expect(percentile([7], 0.9)).to.equal(7);
    expect(percentile([2, 2, 2, 30], 0.9)).to.equal(21.6);
  });

  it('has none for no values', () => {
    expect(percentile([], 0.5)).to.equal(null);
    expect(percentile([], 0.9)).to.equal(null);
  });
});

describe('public statistics: quarters in UK time', () => {
  it('puts 31 March 23:30 UTC in summer time into Q2: it is already 1 April in the UK', () => {
    // Summer time began on 29 March 2026.
    expect(quarterOf(at('2026-03-31T23:30:00Z')).label).to.equal('2026-Q2');
    expect(quarterOf(at('2026-03-31T22:59:59Z')).label).to.equal('2026-Q1');
  });

  it('starts a quarter at midnight UK time, in summer time and out of it', () => {
    const q2 = quarterOf(at('2026-05-10T12:00:00Z'));
    expect(q2).to.deep.equal({ label: '2026-Q2', starts: at('2026-03-31T23:00:00Z'), ends: at('2026-06-30T23:00:00Z') });
    const q4 = quarterOf(at('2026-12-31T23:59:59Z'));
    expect(q4).to.deep.equal({ label: '2026-Q4', starts: at('2026-09-30T23:00:00Z'), ends: at('2027-01-01T00:00:00Z') });
    expect(quarterOf(at('2027-01-01T00:00:00Z')).label).to.equal('2027-Q1');
    expect(quarterOf(at('2026-09-30T23:30:00Z')).label).to.equal('2026-Q4');
  });

  it('lists every quarter between two instants, oldest first, across a year end', () => {
    expect(quartersBetween(at('2025-11-02T00:00:00Z'), at('2026-04-01T09:00:00Z')).map((q) => q.label)).to.deep.equal(['2025-Q4', '2026-Q1', '2026-Q2']);
    expect(quartersBetween(NOW, NOW).map((q) => q.label)).to.deep.equal(['2026-Q4']);
  });

  it('lists the quarters of a year begun by now, none of a year to come', () => {
    expect(quartersOfYear(2026, NOW).map((q) => q.label)).to.deep.equal(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(quartersOfYear(2026, at('2026-05-01T00:00:00Z')).map((q) => q.label)).to.deep.equal(['2026-Q1', '2026-Q2']);
    expect(quartersOfYear(2027, NOW)).to.deep.equal([]);
  });
});

describe('public statistics: what ends an overdue stage', () => {
  it('derives from the transition table the events that end each deadline’s stage', () => {
    expect(stageEndedBy('hearing')).to.have.members(['hearing_held', 'withdrawn']);
    expect(stageEndedBy('decision')).to.have.members(['decision_made', 'withdrawn']);
    expect(stageEndedBy('compliance')).to.deep.equal(['compliance_confirmed']);
    expect(stageEndedBy('managerResponse')).to.have.members(['manager_conceded', 'manager_contested', 'manager_defaulted', 'withdrawn']);
  });
});

describe('public statistics: the figures', () => {
  const counts: CountRow[] = [
    { quarter: '2026-Q4', department: 'HO', figure: 'received', n: 5 },
    { quarter: '2026-Q4', department: 'HO', figure: 'conceded', n: 1 },
    { quarter: '2026-Q4', department: 'HO', figure: 'complied', n: 2 },
    { quarter: '2026-Q4', department: 'HO', figure: 'overruled', n: 2 },
    { quarter: '2026-Q4', department: 'HO', figure: 'open', n: 2 },
    { quarter: '2026-Q4', department: 'HO', figure: 'overdue', n: 1 },
    { quarter: '2026-Q4', department: 'HO', figure: 'missed:hearing', n: 1 },
    { quarter: '2026-Q4', department: 'MOJ', figure: 'received', n: 1 },
    { quarter: '2026-Q3', department: 'MOJ', figure: 'open', n: 1 },
  ];
  const decisions = [
    { quarter: '2026-Q4', department: 'HO', workingDays: 10 },
    { quarter: '2026-Q4', department: 'HO', workingDays: 20 },
    { quarter: '2026-Q4', department: 'MOJ', workingDays: 40 },
  ];

  it('counts each figure per department and quarter, the pipeline as concessions plus compliance', () => {
    const { items } = shapeStatistics(input({ counts, decisions }));
    const ho = items.find((i) => i.department === 'HO' && i.quarter === '2026-Q4');
    expect(ho).to.deep.equal({
      quarter: '2026-Q4',
      department: 'HO',
      name: 'Home Office',
      received: 5,
      conceded: 1,
      withdrawn: 0,
      dismissed: 0,
      overruled: 2,
      complied: 2,
      pipeline: 3,
      open: 2,
      overdue: 1,
      decisions: 2,
      medianWorkingDaysToDecision: 15,
      p90WorkingDaysToDecision: 19,
      deadlinesMissed: { managerResponse: 0, hearing: 1, decision: 0, compliance: 0 },
    });
  });

  it('leaves out a department with nothing to count in a quarter, oldest quarter first, by department code', () => {
    const { items } = shapeStatistics(input({ counts, decisions }));
    expect(items.map((i) => `${i.quarter} ${i.department}`)).to.deep.equal(['2026-Q3 MOJ', '2026-Q4 HO', '2026-Q4 MOJ']);
  });

  it('totals each quarter across departments, percentiles over all its decisions, every department listed', () => {
    const { totals } = shapeStatistics(input({ counts, decisions }));
    const [q3, q4] = totals;
    expect(q4).to.include({ quarter: '2026-Q4', received: 6, pipeline: 3, decisions: 3, medianWorkingDaysToDecision: 20, p90WorkingDaysToDecision: 36, complete: false });
    expect(q3).to.include({ quarter: '2026-Q3', received: 0, open: 1, decisions: 0, medianWorkingDaysToDecision: null, complete: true });
    expect(q3.departments).to.deep.equal(['HO', 'MOJ']);
  });

  it('answers empty quarters with zeros in the totals and no items', () => {
    const statistics = shapeStatistics(input({ filter: { year: 2026 } }));
    expect(statistics.items).to.deep.equal([]);
    expect(statistics.totals.map((t) => t.quarter)).to.deep.equal(['2026-Q3', '2026-Q4']);
    expect(statistics.totals[0]).to.include({ received: 0, open: 0, overdue: 0, pipeline: 0, p90WorkingDaysToDecision: null });
    expect(statistics.totals[0].departments).to.deep.equal(['HO', 'MOJ']);
    expect(statistics).to.include({ year: 2026, department: null, generatedAt: NOW.toISOString() });
  });
});

describe('public statistics: the CSV', () => {
  it('quotes fields as RFC 4180 says', () => {
    expect(csvField('plain')).to.equal('plain');
    expect(csvField('Business, Innovation and Skills')).to.equal('"Business, Innovation and Skills"');
    expect(csvField('The "Home" Office')).to.equal('"The ""Home"" Office"');
    expect(csvField('two\nlines')).to.equal('"two\nlines"');
    expect(csvField(null)).to.equal('');
    expect(csvField(0)).to.equal('0');
    expect(csvField('=HYPERLINK("http://x")')).to.equal('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1 department')).to.equal("'+1 department");
    expect(csvField('@SUM(A1)')).to.equal("'@SUM(A1)");
    expect(csvField(-1)).to.equal('-1');
  });

  it('has a header row of every column and a row per department and quarter, lines ending CRLF', () => {
    const departments = [{ code: 'BIS', name: 'Business, Innovation and Skills' }];
    const { items } = shapeStatistics(input({ departments, counts: [{ quarter: '2026-Q4', department: 'BIS', figure: 'received', n: 2 }] }));
    const lines = statisticsCsv(items).split('\r\n');
    expect(lines).to.have.length(3);
    expect(lines[0].split(',')).to.deep.equal(STATISTICS_COLUMNS.map((c) => c.column));
    expect(lines[1]).to.equal('2026-Q4,BIS,"Business, Innovation and Skills",2,0,0,0,0,0,0,0,0,0,,,0,0,0,0');
    expect(lines[2]).to.equal('');
  });

  it('documents each column once, with its meaning, unit and counting', () => {
    expect(new Set(STATISTICS_COLUMNS.map((c) => c.column)).size).to.equal(STATISTICS_COLUMNS.length);
    for (const column of STATISTICS_COLUMNS) {
      expect(column.meaning, column.column).to.have.length.above(5);
      expect(column.unit, column.column).to.have.length.above(2);
      expect(column.counting, column.column).to.have.length.above(5);
    }
  });
});
