/**
 * Who exists in the simulated mail world: our server and its hosted domains, the remote domains
 * we send to (with their mail exchangers and quirks), and the clients that connect to us. Built
 * once per seed from its own random stream, so scenario changes do not reshuffle the world.
 *
 * All our own names use the reserved example.org/.com/.net domains and documentation IPs.
 * Big providers keep their real MX host names, as real logs show them; every IP is made up, and
 * companies' names are made of random words.
 */
import { Rng, Zipf, hash32 } from './rng.js';

// ---------------------------------------------------------------- our server

export const ME = {
  host: 'mx1',
  fqdn: 'mx1.example.org',
  ip: '198.51.100.25',
  ipv6: '2001:db8:25::25',
  /** Dovecot LMTP socket as Postfix logs it in relay=. */
  lmtp: 'mx1.example.org[private/dovecot-lmtp]',
  /** Internal Exchange server behind the relay domain. */
  exchange: { host: 'exch01.example.net', ip: '10.20.0.25' },
} as const;

/** virtual_mailbox_domains delivered by Dovecot over LMTP. */
export const MAILBOX_DOMAIN = 'example.org';
/** virtual_alias_domains: an old brand whose addresses forward to example.org. */
export const ALIAS_DOMAIN = 'example.com';
/** relay_domains with relay_recipient_maps, relayed on to the internal Exchange. */
export const RELAY_DOMAIN = 'example.net';
/** virtual_mailbox_domains delivered by Postfix's own virtual(8) agent. */
export const SHOP_DOMAIN = 'shop.example.org';
/** A subdomain whose MX points at us but that no domain list names: "loops back to myself". */
export const LOOP_DOMAIN = 'lists.example.org';

const FIRST = [
  'anna', 'ben', 'carla', 'david', 'elena', 'felix', 'greta', 'hugo', 'ines', 'jan', 'katrin', 'lukas',
  'maria', 'nico', 'olga', 'paul', 'rita', 'sven', 'tina', 'uwe', 'vera', 'walter', 'yara', 'zoe',
  'james', 'emma', 'oliver', 'sophie', 'liam', 'mia', 'noah', 'chloe', 'lucas', 'amelia', 'ethan',
  'isla', 'mateo', 'lucia', 'pierre', 'camille', 'giulia', 'marco', 'sara', 'ahmed', 'fatima', 'wei',
  'mei', 'hiroshi', 'yuki', 'arjun', 'priya', 'ivan', 'natalia', 'piotr', 'agnieszka', 'lars', 'ingrid',
  'sean', 'aoife', 'diego', 'carmen', 'tom', 'kate', 'mark', 'julia', 'peter', 'laura', 'daniel',
] as const;
const LAST = [
  'schmidt', 'mueller', 'weber', 'fischer', 'wagner', 'becker', 'hoffmann', 'koch', 'richter', 'klein',
  'wolf', 'neumann', 'schwarz', 'braun', 'zimmermann', 'krueger', 'hartmann', 'lange', 'werner', 'krause',
  'smith', 'jones', 'taylor', 'brown', 'wilson', 'evans', 'thomas', 'roberts', 'walker', 'wright',
  'martin', 'bernard', 'dubois', 'moreau', 'laurent', 'rossi', 'russo', 'ferrari', 'esposito', 'garcia',
  'fernandez', 'lopez', 'martinez', 'kowalski', 'nowak', 'jansen', 'devries', 'bakker', 'visser',
  'andersson', 'johansson', 'nielsen', 'hansen', 'oconnor', 'murphy', 'kelly', 'novak', 'horvat',
  'tanaka', 'suzuki', 'chen', 'wang', 'li', 'kumar', 'singh', 'ivanov', 'petrov', 'silva', 'santos',
] as const;

/** A person's mailbox name, stable for (domain, index): the same index is the same person. */
export function personLocal(domain: string, index: number): string {
  const h = hash32(`${domain}#${index}`);
  const first = FIRST[h % FIRST.length]!;
  const last = LAST[(h >>> 8) % LAST.length]!;
  const n = (h >>> 20) % 100;
  switch ((h >>> 16) % 9) {
    case 0:
    case 1:
    case 2:
      return `${first}.${last}`;
    case 3:
      return `${first}${last}`;
    case 4:
      return `${first[0]}.${last}`;
    case 5:
      return `${first}.${last}${n}`;
    case 6:
      return `${first}${1950 + (n % 56)}`;
    case 7:
      return `${first}_${last}`;
    default:
      return `${last}.${first}`;
  }
}

// ---------------------------------------------------------------- hosted users

export interface Hosted {
  /** example.org mailboxes that work. */
  mailboxes: string[];
  /** example.org addresses still in virtual_mailbox_maps but deleted from Dovecot (lmtp 5.1.1). */
  ghostMailboxes: string[];
  /** example.org mailboxes that are over quota. */
  fullMailboxes: string[];
  /** example.org aliases that point at local users who no longer exist: [alias, local user]. */
  brokenAliases: [string, string][];
  /** example.com aliases → example.org mailbox. */
  aliases: Map<string, string>;
  /** example.com addresses that used to exist and still get mail (ex-staff on mailing lists). */
  staleAliases: string[];
  /** example.net users known to relay_recipient_maps. */
  relayUsers: string[];
  shopBoxes: string[];
  /** Authenticated submission users (a subset of mailboxes). */
  senders: string[];
}

/**
 * `scale` > 1 (large runs) makes a bigger organisation: mailboxes grow with its square (a 1 GB
 * day is a provider with a hundred thousand mailboxes, not a company of 140), relay users with it.
 */
export function buildHosted(rng: Rng, scale = 1): Hosted {
  const mailboxes = unique(Array.from({ length: Math.round(140 * scale * scale) }, (_, i) => `${personLocal(MAILBOX_DOMAIN, i)}@${MAILBOX_DOMAIN}`));
  for (const role of ['info', 'office', 'sales', 'support', 'jobs', 'accounts', 'press']) {
    mailboxes.push(`${role}@${MAILBOX_DOMAIN}`);
  }
  const ghostMailboxes = unique(Array.from({ length: 4 }, (_, i) => `${personLocal('ghost', i)}@${MAILBOX_DOMAIN}`));
  // From the quiet end of the list: their own traffic would otherwise drown the planted cases.
  const fullMailboxes = [mailboxes[97]!, mailboxes[118]!, mailboxes[131]!];
  const brokenAliases: [string, string][] = [
    [`billing@${MAILBOX_DOMAIN}`, 'jdoe'],
    [`hostmaster@${MAILBOX_DOMAIN}`, 'hostmaster'],
    [`webmaster@${MAILBOX_DOMAIN}`, 'webadmin'],
  ];
  const aliases = new Map<string, string>();
  for (const box of mailboxes.slice(0, 60)) aliases.set(box.replace(`@${MAILBOX_DOMAIN}`, `@${ALIAS_DOMAIN}`), box);
  for (const role of ['info', 'sales', 'contact', 'office']) aliases.set(`${role}@${ALIAS_DOMAIN}`, `${role === 'contact' ? 'info' : role}@${MAILBOX_DOMAIN}`);
  const staleAliases = unique(Array.from({ length: 45 }, (_, i) => `${personLocal('former-staff', i)}@${ALIAS_DOMAIN}`)).filter(
    (a) => !aliases.has(a),
  );
  const relayUsers = unique(Array.from({ length: Math.round(50 * scale) }, (_, i) => `${personLocal(RELAY_DOMAIN, i)}@${RELAY_DOMAIN}`));
  const shopBoxes = ['orders', 'info', 'support', 'returns'].map((r) => `${r}@${SHOP_DOMAIN}`);
  const senders = mailboxes.filter(() => rng.chance(0.5));
  return { mailboxes, ghostMailboxes, fullMailboxes, brokenAliases, aliases, staleAliases, relayUsers, shopBoxes, senders };
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

// ---------------------------------------------------------------- remote domains

export type Kind = 'gmail' | 'gworkspace' | 'outlook' | 'o365' | 'yahoo' | 'icloud' | 'gmx' | 'postfix' | 'exchange' | 'other';

/** A domain's lasting misbehaviour; absent for well-run domains. */
export type Quirk =
  | 'nx-mx' // typo with no such domain: bounced, type=MX: Host not found
  | 'nx-a' // parked typo domain without MX or A: bounced, type=A: Host not found
  | 'servfail' // broken DNS: sometimes "try again" (deferred), else no such domain (bounced)
  | 'timeout' // MX sometimes does not answer: deferred, later delivered
  | 'refused' // MX sometimes refuses connections
  | 'greylist' // postgrey-style greylisting of first attempts
  | 'starttls' // requires STARTTLS but does not offer it: 530 on every delivery
  | 'rcpt-limit'; // smtpd_recipient_limit = 1: 452 4.5.3 for the 2nd+ recipient of a transaction

export interface Mx {
  host: string;
  ip: string;
}

export interface Domain {
  name: string;
  kind: Kind;
  /** Share of outbound recipients (relative). */
  weight: number;
  /** Number of distinct people we might write to there. */
  pool: number;
  mx: Mx[];
  /** TLS as our smtp client logs it (`Trusted TLS connection established to …`); '' for none. */
  tls: 'Trusted' | 'Untrusted' | 'Verified' | '';
  quirk?: Quirk;
  /** A freemail provider, or a misspelling of one: where web-shop customers are. */
  freemail?: boolean;
}

const CONSUMER: [string, Kind, number][] = [
  ['gmail.com', 'gmail', 30], ['outlook.com', 'outlook', 6], ['hotmail.com', 'outlook', 7], ['yahoo.com', 'yahoo', 5],
  ['icloud.com', 'icloud', 4], ['gmx.de', 'gmx', 3], ['web.de', 'gmx', 2.5], ['live.com', 'outlook', 2],
  ['aol.com', 'yahoo', 1.5], ['t-online.de', 'other', 2], ['googlemail.com', 'gmail', 1], ['me.com', 'icloud', 1],
  ['hotmail.co.uk', 'outlook', 1], ['yahoo.co.uk', 'yahoo', 1], ['gmx.net', 'gmx', 1], ['orange.fr', 'other', 1],
  ['comcast.net', 'other', 0.8], ['free.fr', 'other', 0.7], ['proton.me', 'other', 0.7], ['btinternet.com', 'other', 0.6],
  ['msn.com', 'outlook', 0.5], ['protonmail.com', 'other', 0.5], ['laposte.net', 'other', 0.5], ['libero.it', 'other', 0.4],
  ['mail.ru', 'other', 0.4], ['yandex.ru', 'other', 0.3], ['seznam.cz', 'other', 0.3], ['wp.pl', 'other', 0.3],
  ['ziggo.nl', 'other', 0.3], ['bluewin.ch', 'other', 0.3], ['att.net', 'other', 0.3], ['sky.com', 'other', 0.2],
];

/** Misspelt provider domains users type into forms. */
const TYPOS: [string, Quirk, number][] = [
  ['gmial.com', 'servfail', 0.25], ['gmail.con', 'nx-mx', 0.12], ['hotmial.com', 'nx-a', 0.1],
  ['gmai.com', 'nx-a', 0.06], ['outlok.com', 'nx-mx', 0.05], ['yahooo.con', 'nx-mx', 0.03],
];

const WORD_A = [
  'north', 'blue', 'green', 'silver', 'oak', 'river', 'lake', 'summit', 'harbor', 'pine', 'stone', 'bright',
  'clear', 'iron', 'maple', 'cedar', 'eagle', 'fox', 'delta', 'nova', 'apex', 'prime', 'urban', 'metro',
  'coastal', 'valley', 'sunrise', 'golden', 'alder', 'birch', 'copper', 'granite', 'meadow', 'orbit',
] as const;
const WORD_B = [
  'tech', 'logistics', 'media', 'consulting', 'labs', 'systems', 'design', 'dental', 'legal', 'partners',
  'foods', 'travel', 'energy', 'health', 'finance', 'studio', 'works', 'solutions', 'group', 'trading',
  'motors', 'print', 'build', 'care', 'events', 'analytics', 'robotics', 'textiles', 'optics', 'audio',
] as const;
const TLDS = ['com', 'com', 'com', 'de', 'de', 'co.uk', 'nl', 'fr', 'io', 'net', 'eu', 'ch', 'at', 'it', 'es', 'se', 'be'] as const;

function ipIn(rng: Rng, prefix: string): string {
  const parts = prefix.split('.');
  while (parts.length < 4) parts.push(String(rng.int(1, 254)));
  return parts.join('.');
}

function providerMx(rng: Rng, name: string, kind: Kind): Mx[] {
  switch (kind) {
    case 'gmail':
      return [
        { host: 'gmail-smtp-in.l.google.com', ip: ipIn(rng, rng.pick(['142.250.102', '142.251.9', '74.125.133', '64.233.184'])) },
        { host: 'alt1.gmail-smtp-in.l.google.com', ip: ipIn(rng, '142.250.153') },
      ];
    case 'gworkspace':
      return [
        { host: 'aspmx.l.google.com', ip: ipIn(rng, rng.pick(['142.250.102', '142.251.9', '74.125.133'])) },
        { host: 'alt1.aspmx.l.google.com', ip: ipIn(rng, '142.250.153') },
      ];
    case 'outlook':
      return [{ host: `${name.replace(/\./g, '-')}.olc.protection.outlook.com`, ip: ipIn(rng, rng.pick(['52.101.68', '52.101.73', '104.47.18'])) }];
    case 'o365':
      return [{ host: `${name.replace(/\./g, '-')}.mail.protection.outlook.com`, ip: ipIn(rng, rng.pick(['52.101.66', '52.101.67', '104.47.11', '104.47.30'])) }];
    case 'yahoo':
      return name === 'aol.com'
        ? [{ host: 'mx-aol.mail.gm0.yahoodns.net', ip: ipIn(rng, '67.195.204') }]
        : [
            { host: 'mta5.am0.yahoodns.net', ip: ipIn(rng, '67.195.204') },
            { host: 'mta6.am0.yahoodns.net', ip: ipIn(rng, '98.136.96') },
          ];
    case 'icloud':
      return [
        { host: 'mx01.mail.icloud.com', ip: ipIn(rng, '17.57.154') },
        { host: 'mx02.mail.icloud.com', ip: ipIn(rng, '17.42.251') },
      ];
    case 'gmx':
      return name === 'web.de'
        ? [{ host: 'mx-ha03.web.de', ip: ipIn(rng, '212.227.15') }]
        : [{ host: 'mx00.emig.gmx.net', ip: ipIn(rng, '212.227.17') }];
    default:
      return [
        { host: `${rng.pick(['mx', 'mail', 'mx1', 'smtp'])}.${name}`, ip: randomPublicIp(rng) },
        { host: `mx2.${name}`, ip: randomPublicIp(rng) },
      ];
  }
}

/** A public-looking IPv4 address outside the private, loopback and multicast ranges. */
export function randomPublicIp(rng: Rng): string {
  const first = rng.pick([5, 23, 31, 37, 45, 46, 62, 77, 78, 80, 81, 82, 85, 87, 89, 91, 93, 94, 95, 103, 109, 141, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217]);
  return `${first}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

function tlsOf(kind: Kind, rng: Rng): Domain['tls'] {
  if (kind === 'postfix' || kind === 'exchange' || kind === 'other') return rng.weighted([['Trusted', 5], ['Untrusted', 3], ['Verified', 1], ['', 1]]);
  return 'Trusted';
}

export interface Remote {
  domains: Domain[];
  byName: Map<string, Domain>;
  /** Draws a recipient domain, big providers first, then a long tail of companies. */
  zipf: Zipf;
}

export function buildRemote(rng: Rng): Remote {
  const domains: Domain[] = [];
  for (const [name, kind, weight] of CONSUMER) {
    domains.push({ name, kind, weight, pool: Math.round(600 * weight), mx: providerMx(rng, name, kind), tls: 'Trusted', freemail: true });
  }
  for (const [name, quirk, weight] of TYPOS) {
    domains.push({ name, kind: 'other', weight, pool: 40, mx: [], tls: '', quirk, freemail: true });
  }
  // A long tail of companies and organisations; Zipf weights give a few busy partners.
  const seen = new Set(domains.map((d) => d.name));
  for (let i = 0; domains.length < CONSUMER.length + TYPOS.length + 260; i++) {
    const a = rng.pick(WORD_A);
    const b = rng.pick(WORD_B);
    const name = `${a}${rng.chance(0.3) ? '-' : ''}${b}.${rng.pick(TLDS)}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const kind = rng.weighted<Kind>([['o365', 40], ['gworkspace', 20], ['postfix', 25], ['exchange', 10], ['other', 5]]);
    const weight = 6 / Math.pow(i + 2, 0.9);
    const d: Domain = { name, kind, weight, pool: rng.int(15, 400), mx: providerMx(rng, name, kind), tls: tlsOf(kind, rng) };
    domains.push(d);
  }
  // Lasting quirks of a few companies, picked among the self-hosted ones.
  const selfHosted = domains.filter((d) => d.kind === 'postfix' || d.kind === 'exchange' || d.kind === 'other').filter((d) => d.mx.length > 0);
  const assign: [Quirk, number][] = [['greylist', 3], ['timeout', 2], ['refused', 1], ['starttls', 1], ['rcpt-limit', 1]];
  let k = 0;
  for (const [quirk, n] of assign) {
    for (let j = 0; j < n; j++, k++) {
      const d = selfHosted[(k * 7 + 3) % selfHosted.length]!;
      d.quirk = quirk;
      if (quirk === 'greylist' || quirk === 'rcpt-limit' || quirk === 'starttls') d.kind = 'postfix';
      if (quirk === 'starttls') d.tls = '';
      // A greylisting partner is one we write to often.
      // Partners we write to often enough for the quirk to show every day.
      d.weight = Math.max(d.weight, quirk === 'starttls' ? 0.3 : quirk === 'timeout' || quirk === 'refused' ? 1.2 : 0.8);
    }
  }
  return { domains, byName: new Map(domains.map((d) => [d.name, d])), zipf: new Zipf(domains.length, 0, domains.map((d) => d.weight)) };
}

/**
 * A person at a remote domain; the Zipf draw makes some correspondents frequent. `scale` > 1
 * (large runs) widens every domain's pool of people.
 */
export function remoteAddress(rng: Rng, d: Domain, scale = 1): string {
  const idx = Math.floor(Math.pow(rng.next(), 2.2) * d.pool * scale);
  return `${personLocal(d.name, idx)}@${d.name}`;
}

// ---------------------------------------------------------------- who connects to us

export interface Client {
  /** As Postfix logs it: `name[ip]`, name `unknown` without reverse DNS. */
  name: string;
  ip: string;
  helo: string;
}

/** Big senders whose relays the postscreen cache knows (PASS OLD) and postgrey whitelists. */
/** `from(rng, scale)`: an envelope sender; `scale` > 1 (large runs) widens the pool of people. */
export const SENDER_ORGS: { org: string; make: (rng: Rng) => Client; from: (rng: Rng, scale?: number) => string; weight: number }[] = [
  {
    org: 'google',
    weight: 30,
    make: (rng) => {
      const ip = `209.85.${rng.int(128, 223)}.${rng.int(1, 254)}`;
      const name = `mail-${rng.pick(['wr1', 'ej1', 'ed1', 'lf1', 'qk1', 'pf1', 'wm1'])}-f${ip.split('.')[3]}.google.com`;
      return { name, ip, helo: name };
    },
    from: (rng, scale = 1) => `${personLocal('gmail.com', rng.int(0, Math.round(5000 * scale)))}@gmail.com`,
  },
  {
    org: 'microsoft',
    weight: 25,
    make: (rng) => {
      const ip = `40.107.${rng.int(1, 255)}.${rng.int(1, 254)}`;
      const name = `mail-${rng.pick(['db8eur05', 'am0eur02', 'vi1eur04', 'he1eur04', 'eur01'])}on2${rng.int(100, 139)}.outbound.protection.outlook.com`;
      return { name, ip, helo: rng.pick(['EUR05-DB8-obe.outbound.protection.outlook.com', 'EUR02-AM0-obe.outbound.protection.outlook.com']) };
    },
    from: (rng, scale = 1) => `${personLocal(`company${rng.int(0, 40)}.example`, rng.int(0, Math.round(300 * scale)))}@${rng.pick(WORD_A)}${rng.pick(WORD_B)}.com`,
  },
  {
    org: 'amazonses',
    weight: 10,
    make: (rng) => {
      const ip = `54.240.${rng.int(0, 15)}.${rng.int(1, 254)}`;
      const o = ip.split('.');
      return { name: `a${o[2]}-${o[3]}.smtp-out.eu-west-1.amazonses.com`, ip, helo: `a${o[2]}-${o[3]}.smtp-out.eu-west-1.amazonses.com` };
    },
    from: (rng) => `${rng.hex(16, false)}-${rng.hex(8, false)}-000000@eu-west-1.amazonses.com`,
  },
  {
    org: 'mailchimp',
    weight: 8,
    make: (rng) => {
      const ip = `198.2.${rng.int(128, 191)}.${rng.int(1, 254)}`;
      const name = `mail${ip.split('.')[2]}-${ip.split('.')[3]}.atl${rng.int(11, 131)}.mcsv.net`;
      return { name, ip, helo: name };
    },
    from: (rng) => `bounce-mc.us${rng.int(1, 21)}_${rng.int(10000000, 99999999)}.${rng.int(1000000, 9999999)}-${rng.hex(10, false)}@mail${rng.int(10, 250)}.atl${rng.int(11, 131)}.mcsv.net`,
  },
  {
    org: 'gmx',
    weight: 6,
    make: (rng) => ({ name: 'mout.gmx.net', ip: `212.227.17.${rng.int(10, 30)}`, helo: 'mout.gmx.net' }),
    from: (rng, scale = 1) => `${personLocal('gmx.de', rng.int(0, Math.round(3000 * scale)))}@gmx.de`,
  },
  {
    org: 'yahoo',
    weight: 4,
    make: (rng) => {
      const ip = `66.163.${rng.int(184, 191)}.${rng.int(1, 254)}`;
      const name = `sonic${rng.int(301, 330)}-${rng.int(1, 40)}.consmr.mail.ne1.yahoo.com`;
      return { name, ip, helo: name };
    },
    from: (rng, scale = 1) => `${personLocal('yahoo.com', rng.int(0, Math.round(3000 * scale)))}@yahoo.com`,
  },
  {
    org: 'icloud',
    weight: 4,
    make: (rng) => {
      const ip = `17.58.${rng.int(60, 63)}.${rng.int(1, 254)}`;
      const name = `st43p00im-ztdg${rng.int(10000000, 10099999)}.me.com`;
      return { name, ip, helo: name };
    },
    from: (rng, scale = 1) => `${personLocal('icloud.com', rng.int(0, Math.round(3000 * scale)))}@icloud.com`,
  },
  {
    org: 'partner',
    weight: 12,
    make: (rng) => {
      const ip = randomPublicIp(rng);
      const name = `mail.${rng.pick(WORD_A)}${rng.pick(WORD_B)}.${rng.pick(TLDS)}`;
      return { name, ip, helo: name };
    },
    from: (rng, scale = 1) => `${personLocal('partner', rng.int(0, Math.round(500 * scale)))}@${rng.pick(WORD_A)}${rng.pick(WORD_B)}.${rng.pick(TLDS)}`,
  },
];
export const SENDER_ORG_ZIPF = new Zipf(SENDER_ORGS.length, 0, SENDER_ORGS.map((o) => o.weight));

const ISP_SUFFIXES = [
  'dynamic.kabelnet.example', 'dsl.telekom-customer.example', 'static.hosting-vps.example', 'adsl.isp-asia.example',
  'pool.mobile-broadband.example', 'cust.fibre.example', 'rev.cloudserver.example',
] as const;

/** A spam source: often without reverse DNS, else a generic dynamic name made from the IP. */
export function spamClient(rng: Rng): Client {
  const ip = randomPublicIp(rng);
  const dashed = ip.replace(/\./g, '-');
  const name = rng.chance(0.55) ? 'unknown' : `${rng.pick(['', 'host-', 'ip-', 'dyn-'])}${dashed}.${rng.pick(ISP_SUFFIXES)}`;
  const spamDomain = `${rng.pick(WORD_A)}${rng.pick(['-deals', 'offers', '-promo', 'mail', '-news', 'shop'])}.${rng.pick(['top', 'xyz', 'info', 'biz', 'online', 'site', 'club'])}`;
  const helo = rng.weighted<string>([
    [spamDomain, 4],
    [name === 'unknown' ? `[${ip}]` : name, 2],
    [rng.pick(['User', 'localhost', 'ylmf-pc', `WIN-${rng.alnum(11).toUpperCase()}`, 'DESKTOP-' + rng.alnum(7).toUpperCase()]), 2],
  ]);
  return { name, ip, helo };
}

/** Envelope sender of a spam run: made-up addresses at throw-away domains or forged freemail. */
export function spamSender(rng: Rng, client: Client): string {
  const local = rng.pick(['info', 'news', 'sales', 'offer', 'support', 'noreply', 'admin', rng.alnum(8).toLowerCase()]);
  const domain = client.helo.includes('.') && !client.helo.startsWith('[') ? client.helo.split('.').slice(-2).join('.') : `${rng.pick(WORD_A)}mail.${rng.pick(['top', 'xyz', 'info'])}`;
  return rng.chance(0.2) ? `${rng.alnum(9).toLowerCase()}@${rng.pick(['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com'])}` : `${local}@${domain}`;
}

/** Local parts a dictionary attack tries. */
export const DICTIONARY = [
  'info', 'admin', 'sales', 'contact', 'office', 'support', 'marketing', 'hr', 'jobs', 'billing', 'accounts',
  'test', 'webmaster', 'newsletter', 'mail', 'service', 'help', 'team', 'hello', 'enquiries', 'finance',
  'orders', 'shop', 'career', 'press', 'postmaster', 'abuse', 'noreply', 'john', 'michael', 'david', 'robert',
  'linda', 'susan', 'karen', 'nancy', 'lisa', 'thomas', 'daniel', 'paul', 'mark', 'andrew', 'steven', 'kevin',
] as const;
