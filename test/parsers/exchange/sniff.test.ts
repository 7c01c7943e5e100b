/**
 * Format detection: the Exchange sniff claims Exchange's header lines, native rows, exports
 * and Format-List lines, and no line of the Postfix and Exim corpora.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { CORPUS, haveCorpus } from '../../corpus/counts.js';
import { EXPORT_TYPE_LINE, RECEIVE_HEADER, TRACKING_HEADER_2019 } from './formats.js';
import { BOM8_SOFTWARE, ELASTIC_SEND, QAZEER_RECEIVE, SENDER_ID_FL, WALLIX_SUBMIT_2007 } from './real-lines.js';

const sniff = exchangeParser.sniff;

describe('sniff', () => {
  test('claims Exchange header lines, with or without the BOM', () => {
    for (const l of [BOM8_SOFTWARE, TRACKING_HEADER_2019[0]!, TRACKING_HEADER_2019[2]!, TRACKING_HEADER_2019[4]!, RECEIVE_HEADER[2]!, RECEIVE_HEADER[4]!, EXPORT_TYPE_LINE]) {
      expect(sniff(l), l).toBe(true);
    }
  });

  test('claims native rows of 2007 to 2019 and protocol rows', () => {
    for (const l of [ELASTIC_SEND, QAZEER_RECEIVE, WALLIX_SUBMIT_2007]) expect(sniff(l)).toBe(true);
    expect(sniff('2026-11-22T08:12:01.100Z,EX01\\Default Frontend EX01,08DD0A2B3C4D5E01,0,192.0.2.10:25,203.0.113.50:51234,+,,')).toBe(true);
  });

  test('claims an Export-Csv header and rows', () => {
    expect(sniff('"PSComputerName","RunspaceId","PSShowComputerName","Timestamp","ClientIp","EventId"')).toBe(true);
    expect(sniff('"11/22/2026 10:15:00 AM","","","","EX01","","","ROUTING","FAIL","73014444033"')).toBe(true);
    expect(sniff('Timestamp,EventId,Source,Sender,Recipients')).toBe(true);
  });

  test('claims Format-List property lines, not the Format-Table row above them (Q&A 1407358)', () => {
    const claimed = SENDER_ID_FL.filter((l) => sniff(l));
    expect(claimed).toHaveLength(31);
    expect(sniff(SENDER_ID_FL[0]!)).toBe(false);
  });

  test('does not claim look-alikes', () => {
    for (const l of [
      '2026-11-22 10:00:00 1vXyZa-000123-AB <= alice@example.net H=mx.example.net [198.51.100.7] P=esmtp S=1234',
      '2026-11-22T10:00:00.123Z mx postfix/smtpd[123]: connect from unknown[192.0.2.1]',
      '2026-11-22T10:00:00.000Z,a,b,c',
      '#Software: Microsoft Internet Information Services 10.0',
      'Nov 22 10:00:00 mx postfix/smtp[1]: ABC: to=<a@example.net>, status=sent',
      'Note : hello',
      '',
    ]) {
      expect(sniff(l), l).toBe(false);
    }
  });
});

describe.skipIf(!haveCorpus)('sniff on the other corpora', () => {
  test.for(['postfix', 'exim'])('claims no line of the %s corpus', (mta) => {
    const claimed: string[] = [];
    for (const f of readdirSync(CORPUS + mta).filter((f) => !f.endsWith('.md'))) {
      for (const l of readFileSync(CORPUS + mta + '/' + f, 'utf8').split('\n')) if (sniff(l)) claimed.push(`${f}: ${l}`);
    }
    expect(claimed).toEqual([]);
  });
});
