import type { Finding } from '../../src/aggregate/types.js';

/** A finding of the report with the fields --check-config reads; the rest plain. */
export const finding = (f: Partial<Finding>): Finding => ({
  rank: 1, mta: 'postfix', direction: 'inbound', recipientDomain: 'x.test', cause: 'user-unknown', hint: 'virtual_alias_maps',
  permanent: true, rule: 'r', rules: [], advice: '', verify: '', smtpCodes: [550], enhancedStatus: ['5.1.1'], messages: 1, count: 1,
  distinctRecipients: 1, distinctSenders: 1, distinctClients: 1, firstSeen: null, lastSeen: null, hosts: [], topRecipients: [], examples: [], ...f,
});
