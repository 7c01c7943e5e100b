import { describe, expect, test } from 'vitest';
import { isPowerShell, shellWords, wrapShellCommand } from '../../src/text/shell-wrap.js';
import { displayWidth } from '../../src/text/width.js';

describe('shellWords', () => {
  test('quotes, $(…) and backticks keep their spaces inside one word', () => {
    const cmd = `a 'b c' "d $(e 'f g') h" \`i j\` k\\ l $(m n) x`;
    expect(shellWords(cmd).filter((_, i) => i % 2 === 0)).toEqual(['a', "'b c'", `"d $(e 'f g') h"`, '`i j`', 'k\\ l', '$(m n)', 'x']);
  });

  test("a shell-quoted value with an escaped quote is one word: 'o'\\''hara x'", () => {
    expect(shellWords("postmap -q 'o'\\''hara x' m").filter((_, i) => i % 2 === 0)).toEqual(['postmap', '-q', "'o'\\''hara x'", 'm']);
  });
});

describe('wrapShellCommand', () => {
  test('a command that fits stays on one line', () => {
    expect(wrapShellCommand('postconf myhostname', 40)).toEqual(['postconf myhostname']);
  });

  test('breaks at top-level spaces with ` \\`, never inside quotes, never after an option', () => {
    const cmd = "grep -F -e 'a value with many spaces in it' -- '/var/log/a b/mail.log' | tail -n 20";
    const lines = wrapShellCommand(cmd, 30);
    expect(lines.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
    expect(lines.join('\n').replace(/ \\\n/g, ' ')).toBe(cmd);
    for (const l of lines) expect(l.replace(/ \\$/, '')).not.toMatch(/^'[^']*$|(?:^| )-[A-Za-z]$|(?:^| )-n$/);
    expect(lines).toContain("-F -e 'a value with many spaces in it' \\");
  });

  test('lines fit the width when every unit does', () => {
    const cmd = 'postconf default_destination_concurrency_limit default_destination_rate_delay smtp_destination_recipient_limit';
    for (const l of wrapShellCommand(cmd, 50)) expect(displayWidth(l)).toBeLessThanOrEqual(50);
  });

  test('PowerShell is never broken (its continuation is a backtick)', () => {
    const ps = "Get-Recipient -Identity 'a@b.example'; Get-AcceptedDomain | Format-List DomainName,DomainType";
    expect(isPowerShell(ps)).toBe(true);
    expect(isPowerShell('(Resolve-DnsName -Type MX x).NameExchange')).toBe(true);
    expect(isPowerShell("K='x' awk '{}' /etc/aliases")).toBe(false);
    expect(wrapShellCommand(ps, 30)).toEqual([ps]);
  });
});
