import { describe, expect, test } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { FINDING_KEYS, ReportSchema } from '../../src/report/schema.js';
import { cls, reject } from '../aggregate/fixtures.js';
import { ESC, reportOf, sampleReport } from './fixtures.js';

/** The names the issue fixes, in order. */
const ISSUE_FINDING_KEYS = [
  'rank',
  'mta',
  'direction',
  'recipientDomain',
  'cause',
  'hint',
  'permanent',
  'action',
  'actionReason',
  'suggestion',
  'rule',
  'rules',
  'advice',
  'verify',
  'smtpCodes',
  'enhancedStatus',
  'messages',
  'count',
  'distinctRecipients',
  'distinctSenders',
  'distinctClients',
  'firstSeen',
  'lastSeen',
  // issue 18: when it began, and the server-health line it followed
  'onset',
  'onsetNote',
  'after',
  'hosts',
  'topRecipients',
  'examples',
  'exampleIds',
];
const ISSUE_SUMMARY_KEYS = [
  'linesRead',
  'linesRecognised',
  'linesIgnored',
  'ignoredByReason',
  'linesUnrecognised',
  'invalidUtf8Lines',
  'oversizedLines',
  'eventsByKind',
  'eventsByStatus',
  'files',
  'firstSeen',
  'lastSeen',
  'overflow',
];

describe('renderJson', () => {
  test('each finding says its MTA, permanence, rule(s), messages and hosts', () => {
    const report = reportOf([
      [reject({ host: 'mx2', queueId: 'Q1' }), cls({ rule: 'postfix.a' })],
      [reject({ host: 'mx1', queueId: 'Q1' }), cls({ rule: 'postfix.b', permanent: false })],
      [reject({ host: 'mx2', queueId: 'Q2' }), cls({ rule: 'postfix.a' })],
    ]);
    const [f] = JSON.parse(renderJson(report)).findings;
    expect([f.mta, f.permanent, f.rule, f.rules, f.messages, f.count, f.hosts]).toEqual([
      'postfix',
      true,
      'postfix.a',
      [
        { rule: 'postfix.a', count: 2 },
        { rule: 'postfix.b', count: 1 },
      ],
      // Q1 on mx2 and on mx1 are two messages (ids are per server), Q2 a third.
      3,
      3,
      [
        { host: 'mx2', count: 2 },
        { host: 'mx1', count: 1 },
      ],
    ]);
    const temporary = JSON.parse(renderJson(reportOf([[reject({ smtpCode: 450 }), cls({ permanent: false })]]))).findings[0];
    expect(temporary.permanent).toBe(false);
  });

  test('output validates against the strict report schema', () => {
    expect(ReportSchema.safeParse(JSON.parse(renderJson(sampleReport()))).success).toBe(true);
  });

  test('has exactly summary, findings, harvest, backscatter, traffic and markers at the top level (no details)', () => {
    expect(Object.keys(JSON.parse(renderJson(sampleReport())))).toEqual(['summary', 'findings', 'harvest', 'backscatter', 'traffic', 'markers']);
  });

  test('every finding has exactly the issue keys, in order', () => {
    const doc = JSON.parse(renderJson(sampleReport()));
    expect(doc.findings.map((f: object) => Object.keys(f))).toEqual(doc.findings.map(() => ISSUE_FINDING_KEYS));
  });

  test('the schema lists the same finding keys as the issue', () => {
    expect(FINDING_KEYS).toEqual(ISSUE_FINDING_KEYS);
  });

  test('the summary has exactly the issue keys, in order', () => {
    expect(Object.keys(JSON.parse(renderJson(sampleReport())).summary)).toEqual(ISSUE_SUMMARY_KEYS);
  });

  test('a file entry carries error only when there is one', () => {
    const files = JSON.parse(renderJson(sampleReport())).summary.files;
    expect(files.map((f: object) => 'error' in f)).toEqual([false, true]);
  });

  test('uses 2-space indent and ends with a newline', () => {
    const out = renderJson(sampleReport());
    expect([out.startsWith('{\n  "summary": {\n    "linesRead": 120,'), out.endsWith('}\n')]).toEqual([true, true]);
  });

  test('round-trips the findings of the snapshot', () => {
    const report = sampleReport();
    expect(JSON.parse(renderJson(report)).findings).toEqual(report.findings);
  });

  test('strips terminal control sequences, bidi and zero-width characters from every log string', () => {
    const evil = `${ESC}[2J\u009b31m\u202e\u200b\ufeff\u0085\u007f`;
    const report = reportOf([[reject({ raw: `x ${evil}y\tz`, to: `u${evil}@ex${evil}ample.org` }), cls({ verify: `echo '${evil}'` })]]);
    report.summary.files = [{ path: `mail${evil}.log`, format: 'postfix', lines: 1, unrecognised: 0, error: `bad${evil}` }];
    const out = renderJson(report);
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\ufeff]/.test(out)).toBe(false);
    expect(out).not.toMatch(/\\u001b|\\u009b|\\u202e|\\u200b|\\ufeff/);
    const doc = JSON.parse(out);
    expect(doc.findings[0].examples[0]).toBe('x y z');
    expect(doc.findings[0].recipientDomain).toBe('example.org');
    expect(doc.findings[0].topRecipients[0].address).toBe('u@example.org');
    expect(doc.findings[0].verify).toBe("echo ''");
    expect(doc.summary.files[0]).toMatchObject({ path: 'mail.log', error: 'bad' });
  });

  test('summary.overflow lists only the caps that were hit', () => {
    const doc = JSON.parse(renderJson(sampleReport({ overflow: { postfixQueueIdsEvicted: 0, postfixDeferralsDropped: 3, findings: 0 } })));
    expect(doc.summary.overflow).toEqual({ postfixDeferralsDropped: 3 });
  });

  test('the schema rejects an unknown finding key', () => {
    const doc = JSON.parse(renderJson(sampleReport()));
    doc.findings[0].extra = 1;
    expect(ReportSchema.safeParse(doc).success).toBe(false);
  });

  test('the schema rejects a misspelt summary key', () => {
    const doc = JSON.parse(renderJson(sampleReport()));
    doc.summary.linesUnrecognized = doc.summary.linesUnrecognised;
    delete doc.summary.linesUnrecognised;
    expect(ReportSchema.safeParse(doc).success).toBe(false);
  });

  test('an empty run is a valid report with no findings', () => {
    const doc = JSON.parse(renderJson(reportOf([])));
    expect([ReportSchema.safeParse(doc).success, doc.findings]).toEqual([true, []]);
  });
});
