#!/usr/bin/perl
# Decodes the bounce mails named on standard input (one path a line) with sisimai (Perl, found
# through -I) and prints one JSON line per decoded recipient: the facts extract.mjs keeps.
# delivered and vacation are on because sisimai's own tests decode the samples that way, so the
# recipients come out in the order its expected-value lists number them.
use strict;
use warnings;
use JSON;
use Sisimai::Mail;
use Sisimai::Fact;

# Not ->utf8: sisimai hands back the bytes of the mail, which are printed as they are.
my $json = JSON->new->canonical;
while( my $path = <STDIN> ) {
    chomp $path;
    my $mail = Sisimai::Mail->new($path) or next;
    my $index = 0;
    while( my $r = $mail->data->read ) {
        my $facts = Sisimai::Fact->rise({ 'data' => $r, 'delivered' => 1, 'vacation' => 1, 'origin' => $path }) || [];
        for my $f ( @$facts ) {
            $index++;
            print $json->encode({
                'origin' => $path, 'index' => $index, 'reason' => $f->reason,
                'status' => $f->deliverystatus, 'replycode' => "" . ($f->replycode // ''),
                'diagnosticcode' => $f->diagnosticcode, 'diagnostictype' => $f->diagnostictype,
                'rhost' => $f->rhost, 'lhost' => $f->lhost, 'command' => $f->smtpcommand,
                'destination' => $f->destination, 'agent' => $f->smtpagent,
            }), "\n";
        }
    }
}
